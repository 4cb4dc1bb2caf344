package dev.goldsmith.emulator.hosts;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import dev.goldsmith.emulator.backend.ServerBackend.BackendException;

/**
 * The subset of cloud-init user data the hosts backend applies: {@code ssh_authorized_keys}, {@code
 * ssh_keys} (pre-generated host keys), {@code users}, {@code write_files} and {@code runcmd}.
 * Everything else in the document is ignored, as a cloud-init without those modules would.
 */
final class CloudInit {

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  /** Marker and unit that run {@code runcmd} once at the next boot. */
  static final String RUNCMD_DIR = "/var/lib/goldsmith-init";

  final List<String> rootKeys = new ArrayList<>();
  final Map<String, String> hostKeys = new LinkedHashMap<>();
  final List<Map<String, Object>> users = new ArrayList<>();
  final List<Map<String, Object>> writeFiles = new ArrayList<>();
  final List<Object> runcmd = new ArrayList<>();

  /** Parses {@code #cloud-config} user data; other formats (scripts) are rejected. */
  @SuppressWarnings("unchecked")
  static CloudInit parse(String userData) {
    CloudInit ci = new CloudInit();
    if (userData == null || userData.isBlank()) {
      return ci;
    }
    String text = userData.stripLeading();
    if (text.startsWith("#!")) {
      // A shell script as user data: run it like cloud-init's scripts-user, once at first boot.
      ci.runcmd.add(List.of("/bin/sh", "-c", text));
      return ci;
    }
    if (!text.startsWith("#cloud-config")) {
      throw new BackendException("user_data must start with #cloud-config or #!");
    }
    Map<String, Object> doc;
    try {
      doc = YAML.readValue(text, Map.class);
    } catch (Exception e) {
      throw new BackendException("user_data is not valid YAML: " + e.getMessage(), e);
    }
    if (doc == null) {
      return ci;
    }
    for (Object k : list(doc.get("ssh_authorized_keys"))) {
      ci.rootKeys.add(String.valueOf(k).strip());
    }
    if (doc.get("ssh_keys") instanceof Map<?, ?> keys) {
      keys.forEach((k, v) -> ci.hostKeys.put(String.valueOf(k), String.valueOf(v)));
      for (String k : ci.hostKeys.keySet()) {
        if (!k.matches("(rsa|ecdsa|ed25519)_(private|public)")) {
          throw new BackendException("unsupported ssh_keys entry " + k);
        }
      }
    }
    for (Object u : list(doc.get("users"))) {
      if (u instanceof Map<?, ?> m) {
        ci.users.add((Map<String, Object>) m);
      } else if (!"default".equals(String.valueOf(u))) {
        ci.users.add(Map.of("name", String.valueOf(u)));
      }
    }
    for (Object f : list(doc.get("write_files"))) {
      if (!(f instanceof Map<?, ?> m) || !(m.get("path") instanceof String)) {
        throw new BackendException("every write_files entry needs a path");
      }
      ci.writeFiles.add((Map<String, Object>) f);
    }
    ci.runcmd.addAll(list(doc.get("runcmd")));
    return ci;
  }

  private static List<Object> list(Object o) {
    if (o == null) {
      return List.of();
    }
    if (o instanceof List<?> l) {
      return new ArrayList<>(l);
    }
    return List.of(o);
  }

  /** Applies users and write_files to the (not running) disk; prepares runcmd for first boot. */
  void apply(RootFs fs, Duration timeout) {
    for (Map<String, Object> u : users) {
      addUser(fs, u, timeout);
    }
    for (Map<String, Object> f : writeFiles) {
      writeFile(fs, f);
    }
    fs.deleteTree(RUNCMD_DIR);
    fs.delete("/etc/systemd/system/multi-user.target.wants/goldsmith-runcmd.service");
    if (!runcmd.isEmpty()) {
      StringBuilder script = new StringBuilder("#!/bin/sh\n# cloud-init runcmd (goldsmith)\n");
      for (Object c : runcmd) {
        if (c instanceof List<?> argv) {
          List<String> quoted = new ArrayList<>();
          for (Object a : argv) {
            quoted.add(shellQuote(String.valueOf(a)));
          }
          script.append(String.join(" ", quoted)).append('\n');
        } else {
          script.append(c).append('\n');
        }
      }
      fs.write(RUNCMD_DIR + "/runcmd", script.toString(), "700");
      fs.write(
          "/etc/systemd/system/goldsmith-runcmd.service",
          "[Unit]\n"
              + "Description=cloud-init runcmd (once)\n"
              + "After=network.target\n"
              + "ConditionPathExists=!"
              + RUNCMD_DIR
              + "/done\n\n"
              + "[Service]\n"
              + "Type=oneshot\n"
              + "ExecStart=/bin/sh -c '"
              + RUNCMD_DIR
              + "/runcmd > "
              + RUNCMD_DIR
              + "/runcmd.log 2>&1; touch "
              + RUNCMD_DIR
              + "/done'\n\n"
              + "[Install]\n"
              + "WantedBy=multi-user.target\n",
          "644");
      fs.mkdirs("/etc/systemd/system/multi-user.target.wants");
      try {
        java.nio.file.Path link =
            fs.resolve("/etc/systemd/system/multi-user.target.wants/goldsmith-runcmd.service");
        java.nio.file.Files.createSymbolicLink(
            link, java.nio.file.Path.of("/etc/systemd/system/goldsmith-runcmd.service"));
      } catch (java.io.IOException e) {
        throw new BackendException("cannot enable runcmd unit", e);
      }
    }
  }

  private static void addUser(RootFs fs, Map<String, Object> u, Duration timeout) {
    String name = String.valueOf(u.get("name"));
    if (!name.matches("[a-z_][a-z0-9_-]{0,31}")) {
      throw new BackendException("invalid user name in user_data: " + name);
    }
    boolean exists =
        fs.read("/etc/passwd").orElse("").lines().anyMatch(l -> l.startsWith(name + ":"));
    if (!exists) {
      List<String> cmd = new ArrayList<>(List.of("chroot", fs.root().toString(), "useradd"));
      boolean system = Boolean.TRUE.equals(u.get("system"));
      if (system) {
        cmd.add("--system");
      }
      if (!Boolean.TRUE.equals(u.get("no_create_home")) && !system) {
        cmd.add("--create-home");
      }
      cmd.addAll(List.of("--shell", String.valueOf(u.getOrDefault("shell", "/bin/sh"))));
      if (u.get("gecos") != null) {
        cmd.addAll(List.of("--comment", String.valueOf(u.get("gecos"))));
      }
      if (u.get("homedir") != null) {
        cmd.addAll(List.of("--home-dir", String.valueOf(u.get("homedir"))));
      }
      if (u.get("uid") != null) {
        cmd.addAll(List.of("--uid", String.valueOf(u.get("uid"))));
      }
      Object groups = u.get("groups");
      if (groups != null) {
        String g =
            groups instanceof List<?> l
                ? String.join(",", l.stream().map(String::valueOf).toList())
                : String.valueOf(groups).replace(" ", "");
        cmd.addAll(List.of("--groups", g));
      }
      if (u.get("passwd") != null) {
        cmd.addAll(List.of("--password", String.valueOf(u.get("passwd"))));
      }
      cmd.add(name);
      Cmd.run(timeout, null, cmd).check();
    }
    Object sudo = u.get("sudo");
    if (sudo != null && !Boolean.FALSE.equals(sudo)) {
      List<String> rules =
          sudo instanceof List<?> l
              ? l.stream().map(String::valueOf).toList()
              : List.of(String.valueOf(sudo));
      StringBuilder sb = new StringBuilder();
      for (String r : rules) {
        sb.append(name).append(' ').append(r).append('\n');
      }
      fs.write("/etc/sudoers.d/90-cloud-init-" + name, sb.toString(), "440");
    }
    List<Object> keys = list(u.get("ssh_authorized_keys"));
    if (!keys.isEmpty()) {
      String home =
          fs.read("/etc/passwd")
              .orElse("")
              .lines()
              .filter(l -> l.startsWith(name + ":"))
              .map(l -> l.split(":")[5])
              .findFirst()
              .orElse("/home/" + name);
      StringBuilder sb = new StringBuilder();
      keys.forEach(k -> sb.append(String.valueOf(k).strip()).append('\n'));
      fs.mkdirs(home + "/.ssh");
      fs.write(home + "/.ssh/authorized_keys", sb.toString(), "600");
      fs.chown(home + "/.ssh", name);
      fs.chown(home + "/.ssh/authorized_keys", name);
      try {
        RootFs.chmod(fs.resolve(home + "/.ssh"), "700");
      } catch (java.io.IOException e) {
        throw new BackendException("cannot chmod " + home + "/.ssh", e);
      }
    }
  }

  private static void writeFile(RootFs fs, Map<String, Object> f) {
    String path = String.valueOf(f.get("path"));
    String encoding = String.valueOf(f.getOrDefault("encoding", "text")).toLowerCase();
    Object c = f.getOrDefault("content", "");
    byte[] content =
        switch (encoding) {
          case "b64", "base64" -> Base64.getMimeDecoder().decode(String.valueOf(c));
          case "text", "text/plain" -> String.valueOf(c).getBytes(StandardCharsets.UTF_8);
          default ->
              throw new BackendException(
                  "unsupported write_files encoding " + encoding + " (gzip is not supported)");
        };
    String perms = String.valueOf(f.getOrDefault("permissions", "0644")).replaceFirst("^0o?", "");
    if (perms.isEmpty()) {
      perms = "0";
    }
    fs.write(path, content, perms, Boolean.TRUE.equals(f.get("append")));
    if (f.get("owner") != null) {
      fs.chown(path, String.valueOf(f.get("owner")));
    }
  }

  static String shellQuote(String s) {
    return "'" + s.replace("'", "'\\''") + "'";
  }
}
