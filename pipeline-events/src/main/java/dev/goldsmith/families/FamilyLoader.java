package dev.goldsmith.families;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import dev.goldsmith.events.BinaryCheck;
import dev.goldsmith.events.ExpectedUser;
import dev.goldsmith.events.ImageChecks;
import dev.goldsmith.events.NetworkMode;
import dev.goldsmith.events.Patterns;
import dev.goldsmith.events.UserBinaries;
import dev.goldsmith.events.VerificationMatrix;

/**
 * Reads and validates family files. Every problem of a file is reported at once, each prefixed with
 * the file name and the path of the offending key.
 */
public final class FamilyLoader {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final Set<String> TOP_KEYS =
      Set.of(
          "name",
          "description",
          "base_image",
          "server_type",
          "location",
          "playbook",
          "network_mode",
          "keep_previous",
          "extra_vars",
          "overridable",
          "verification");
  private static final Set<String> BINARY_KEYS = Set.of("probe", "allowed_prefixes");
  private static final Set<String> USER_KEYS = Set.of("name", "shell", "groups", "system", "home");

  private FamilyLoader() {}

  /**
   * Loads every {@code *.yml} of a directory, keyed by family name, checking overridable variables
   * against the roles next to it ({@code <dir>/../roles}).
   */
  public static Map<String, Family> loadDirectory(Path dir) {
    return loadDirectory(dir, RoleSpecs.load(dir.toAbsolutePath().resolveSibling("roles")));
  }

  /**
   * Loads every {@code *.yml} of a directory, keyed by family name; every overridable variable must
   * be declared in {@code roles}.
   */
  public static Map<String, Family> loadDirectory(Path dir, RoleSpecs roles) {
    Map<String, Family> families = new TreeMap<>();
    List<String> errors = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path file : files.filter(p -> p.toString().endsWith(".yml")).sorted().toList()) {
        try {
          Family f = load(file, roles);
          families.put(f.name(), f);
        } catch (FamilyException e) {
          errors.addAll(e.errors());
        }
      }
    } catch (IOException e) {
      throw new FamilyException(List.of(dir + ": cannot list family files: " + e.getMessage()));
    }
    if (!errors.isEmpty()) {
      throw new FamilyException(errors);
    }
    return families;
  }

  /** Loads one family file, checking it against the roles of {@code <file's dir>/../roles}. */
  public static Family load(Path file) {
    return load(file, RoleSpecs.load(file.toAbsolutePath().getParent().resolveSibling("roles")));
  }

  /** Loads one family file; every overridable variable must be declared in {@code roles}. */
  public static Family load(Path file, RoleSpecs roles) {
    String text;
    try {
      text = Files.readString(file);
    } catch (IOException e) {
      throw new FamilyException(List.of(file + ": cannot read: " + e.getMessage()));
    }
    String fileName = file.getFileName().toString();
    String expectedName =
        fileName.endsWith(".yml") ? fileName.substring(0, fileName.length() - 4) : null;
    Family family = parse(fileName, text, expectedName);
    List<String> undeclared = roles.undeclared(fileName, family.overridable());
    if (!undeclared.isEmpty()) {
      throw new FamilyException(undeclared);
    }
    return family;
  }

  /**
   * Parses family YAML.
   *
   * @param source name used in messages
   * @param expectedName the name the file's name implies, or null
   */
  public static Family parse(String source, String text, String expectedName) {
    JsonNode root;
    try {
      root = YAML.readTree(text);
    } catch (IOException e) {
      throw new FamilyException(
          List.of(source + ": not valid YAML: " + e.getMessage().lines().findFirst().orElse("")));
    }
    Errors err = new Errors(source);
    if (root == null || !root.isObject()) {
      err.add("", "must be a mapping");
      throw new FamilyException(err.list);
    }
    unknownKeys(err, "", root, TOP_KEYS);
    String name = text(err, root, "name", true);
    if (name != null && !name.matches(Patterns.FAMILY)) {
      err.add("name", "'" + name + "' must match " + Patterns.FAMILY);
    }
    if (name != null && expectedName != null && !name.equals(expectedName)) {
      err.add("name", "'" + name + "' differs from the file name '" + expectedName + ".yml'");
    }
    String description = text(err, root, "description", false);
    String baseImage = text(err, root, "base_image", true);
    String serverType = root.has("server_type") ? text(err, root, "server_type", true) : "cx23";
    String location = text(err, root, "location", true);
    String playbook = text(err, root, "playbook", true);
    if (playbook != null
        && (!playbook.matches("^[A-Za-z0-9_./-]+\\.ya?ml$") || playbook.contains(".."))) {
      err.add("playbook", "'" + playbook + "' must be a .yml file inside the ansible/ tree");
    }
    NetworkMode mode = NetworkMode.IPV4;
    if (root.has("network_mode")) {
      String m = text(err, root, "network_mode", true);
      try {
        mode = m == null ? mode : NetworkMode.fromWire(m);
      } catch (IllegalArgumentException e) {
        err.add("network_mode", e.getMessage());
      }
    }
    int keepPrevious = 0;
    if (root.has("keep_previous")) {
      JsonNode k = root.get("keep_previous");
      if (!k.isInt() || k.asInt() < 0 || k.asInt() > 10) {
        err.add("keep_previous", "must be an integer from 0 to 10");
      } else {
        keepPrevious = k.asInt();
      }
    }
    Map<String, Object> extraVars = new LinkedHashMap<>();
    if (root.has("extra_vars")) {
      JsonNode ev = root.get("extra_vars");
      if (!ev.isObject()) {
        err.add("extra_vars", "must be a mapping");
      } else {
        @SuppressWarnings("unchecked")
        Map<String, Object> m = YAML.convertValue(ev, LinkedHashMap.class);
        extraVars.putAll(m);
        dev.goldsmith.events.ExtraVarsPolicy.problems(m).forEach(p -> err.add("", p));
      }
    }
    List<String> overridable = overridable(err, root.get("overridable"));
    VerificationMatrix matrix = verification(err, root.get("verification"));
    if (!err.list.isEmpty()) {
      throw new FamilyException(err.list);
    }
    return new Family(
        name,
        description,
        baseImage,
        serverType,
        location,
        playbook,
        mode,
        keepPrevious,
        extraVars,
        matrix,
        overridable);
  }

  /** The variables a request may override: names of role variables, never Ansible's own. */
  private static List<String> overridable(Errors err, JsonNode node) {
    List<String> names = strings(err, "overridable", node, false);
    for (int i = 0; i < names.size(); i++) {
      String n = names.get(i);
      if (!n.matches(Patterns.VARIABLE) || dev.goldsmith.events.ExtraVarsPolicy.isReserved(n)) {
        err.add("overridable[" + i + "]", "'" + n + "' is not a role variable name");
      }
    }
    return names;
  }

  private static VerificationMatrix verification(Errors err, JsonNode v) {
    if (v == null || !v.isObject()) {
      err.add("verification", "is required and must be a mapping with binaries, users and image");
      return null;
    }
    unknownKeys(err, "verification", v, Set.of("binaries", "users", "image"));
    Map<String, BinaryCheck> binaries = new LinkedHashMap<>();
    JsonNode b = v.get("binaries");
    if (b == null || !b.isObject() || b.isEmpty()) {
      err.add("verification.binaries", "must map each binary name to {probe, allowed_prefixes}");
    } else {
      for (Iterator<Map.Entry<String, JsonNode>> it = b.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        String path = "verification.binaries." + e.getKey();
        if (!e.getKey().matches(Patterns.BINARY)) {
          err.add(path, "'" + e.getKey() + "' is not a command name");
        }
        JsonNode def = e.getValue();
        if (!def.isObject()) {
          err.add(path, "must be a mapping with probe and allowed_prefixes");
          continue;
        }
        unknownKeys(err, path, def, BINARY_KEYS);
        List<String> probe = strings(err, path + ".probe", def.get("probe"), false);
        List<String> prefixes =
            strings(err, path + ".allowed_prefixes", def.get("allowed_prefixes"), true);
        for (String p : prefixes) {
          if (!p.startsWith("/")) {
            err.add(path + ".allowed_prefixes", "'" + p + "' must be an absolute path");
          }
        }
        binaries.put(e.getKey(), new BinaryCheck(e.getKey(), probe, prefixes));
      }
    }
    List<UserBinaries> users = new ArrayList<>();
    JsonNode u = v.get("users");
    if (u == null || !u.isObject() || u.isEmpty()) {
      err.add("verification.users", "must map each target user to the binaries it must run");
    } else {
      for (Iterator<Map.Entry<String, JsonNode>> it = u.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        String path = "verification.users." + e.getKey();
        if (!e.getKey().matches(Patterns.USER)) {
          err.add(path, "'" + e.getKey() + "' is not a user name");
        }
        List<String> names = strings(err, path, e.getValue(), true);
        List<BinaryCheck> checks = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
          BinaryCheck check = binaries.get(names.get(i));
          if (check == null) {
            if (b != null && b.isObject()) {
              err.add(
                  path + "[" + i + "]",
                  "binary '" + names.get(i) + "' is not defined in verification.binaries");
            }
          } else {
            checks.add(check);
          }
        }
        users.add(new UserBinaries(e.getKey(), checks));
      }
    }
    ImageChecks image = imageChecks(err, v.get("image"));
    return new VerificationMatrix(users, image);
  }

  private static ImageChecks imageChecks(Errors err, JsonNode image) {
    if (image == null || !image.isObject()) {
      err.add("verification.image", "is required: users, sshd and forbidden_paths");
      return new ImageChecks(List.of(), Map.of(), List.of());
    }
    unknownKeys(
        err, "verification.image", image, Set.of("users", "sshd", "forbidden_paths", "access"));
    List<ExpectedUser> users = new ArrayList<>();
    JsonNode us = image.get("users");
    if (us != null && !us.isArray()) {
      err.add("verification.image.users", "must be a list");
    } else if (us != null) {
      for (int i = 0; i < us.size(); i++) {
        String path = "verification.image.users[" + i + "]";
        JsonNode n = us.get(i);
        if (!n.isObject()) {
          err.add(path, "must be a mapping with name and shell");
          continue;
        }
        unknownKeys(err, path, n, USER_KEYS);
        String name = text(err, n, "name", true, path);
        String shell = text(err, n, "shell", true, path);
        if (name != null && !name.matches(Patterns.USER)) {
          err.add(path + ".name", "'" + name + "' is not a user name");
        }
        if (shell != null && !shell.startsWith("/")) {
          err.add(path + ".shell", "'" + shell + "' must be an absolute path");
        }
        List<String> groups =
            n.has("groups") ? strings(err, path + ".groups", n.get("groups"), false) : List.of();
        boolean system = bool(err, path + ".system", n.get("system"));
        boolean home = bool(err, path + ".home", n.get("home"));
        users.add(new ExpectedUser(name, shell, groups, system, home));
      }
    }
    Map<String, String> sshd = new LinkedHashMap<>();
    JsonNode s = image.get("sshd");
    if (s != null && !s.isObject()) {
      err.add("verification.image.sshd", "must map sshd -T keys to expected values");
    } else if (s != null) {
      for (Iterator<Map.Entry<String, JsonNode>> it = s.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        if (!e.getKey().equals(e.getKey().toLowerCase()) || !e.getKey().matches("^[a-z0-9]+$")) {
          err.add(
              "verification.image.sshd." + e.getKey(),
              "keys are lower-case as sshd -T prints them");
        }
        if (!e.getValue().isValueNode()) {
          err.add("verification.image.sshd." + e.getKey(), "must be a scalar");
        } else {
          sshd.put(e.getKey(), e.getValue().asText());
        }
      }
    }
    List<String> forbidden =
        image.has("forbidden_paths")
            ? strings(
                err, "verification.image.forbidden_paths", image.get("forbidden_paths"), false)
            : List.of();
    for (String p : forbidden) {
      if (!p.startsWith("/")) {
        err.add("verification.image.forbidden_paths", "'" + p + "' must be an absolute path");
      }
    }
    return new ImageChecks(
        users, sshd, forbidden, AccessDeclarations.parse(image.get("access"), err::add));
  }

  private static void unknownKeys(Errors err, String path, JsonNode node, Set<String> allowed) {
    node.fieldNames()
        .forEachRemaining(
            k -> {
              if (!allowed.contains(k)) {
                err.add(
                    path.isEmpty() ? k : path + "." + k,
                    "unknown key (allowed: "
                        + String.join(", ", new java.util.TreeSet<>(allowed))
                        + ")");
              }
            });
  }

  private static String text(Errors err, JsonNode node, String key, boolean required) {
    return text(err, node, key, required, "");
  }

  private static String text(
      Errors err, JsonNode node, String key, boolean required, String prefix) {
    String path = prefix.isEmpty() ? key : prefix + "." + key;
    JsonNode v = node.get(key);
    if (v == null || v.isNull()) {
      if (required) {
        err.add(path, "is required");
      }
      return null;
    }
    if (!v.isTextual() || v.asText().isBlank()) {
      err.add(path, "must be a non-empty string");
      return null;
    }
    return v.asText();
  }

  private static List<String> strings(Errors err, String path, JsonNode v, boolean nonEmpty) {
    if (v == null || v.isNull()) {
      if (nonEmpty) {
        err.add(path, "is required (a non-empty list)");
      }
      return List.of();
    }
    if (!v.isArray()) {
      err.add(path, "must be a list of strings");
      return List.of();
    }
    if (nonEmpty && v.isEmpty()) {
      err.add(path, "must not be empty");
    }
    List<String> out = new ArrayList<>();
    for (int i = 0; i < v.size(); i++) {
      if (!v.get(i).isValueNode() || v.get(i).isNull()) {
        err.add(path + "[" + i + "]", "must be a string");
      } else {
        out.add(v.get(i).asText());
      }
    }
    return out;
  }

  private static boolean bool(Errors err, String path, JsonNode v) {
    if (v == null || v.isNull()) {
      return false;
    }
    if (!v.isBoolean()) {
      err.add(path, "must be true or false");
      return false;
    }
    return v.asBoolean();
  }

  private static final class Errors {
    private final String source;
    private final List<String> list = new ArrayList<>();

    Errors(String source) {
      this.source = source;
    }

    void add(String path, String message) {
      list.add(source + (path.isEmpty() ? "" : ": " + path) + ": " + message);
    }
  }
}
