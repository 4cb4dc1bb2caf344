package dev.goldsmith.configurator.ansible;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;

/**
 * The per-build inventory: one host, named after the server, with every connection setting. Written
 * as YAML with quoted strings, so an IPv6 literal stays a string and needs no brackets.
 *
 * @param hostName inventory host name (e.g. {@code builder-42})
 * @param address where to connect
 * @param port sshd port
 * @param user login user
 * @param privateKey the configurator's private key file
 * @param knownHosts the per-build known_hosts file, holding the builder's pinned host key
 * @param baseSshArgs the ansible tree's {@code ssh_args} ({@link AnsibleSshArgs}), which follow the
 *     pinning options
 */
public record Inventory(
    String hostName,
    HostAddress address,
    int port,
    String user,
    Path privateKey,
    Path knownHosts,
    String baseSshArgs) {

  private static final ObjectMapper YAML =
      new ObjectMapper(
          YAMLFactory.builder()
              .disable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
              .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
              .build());

  private static final Pattern SAFE_ARG = Pattern.compile("[A-Za-z0-9_./=:@%+,-]+");

  /** Host variables, in the order they are written. */
  public Map<String, Object> hostVars() {
    Map<String, Object> vars = new LinkedHashMap<>();
    vars.put("ansible_host", address.literal());
    vars.put("ansible_port", port);
    vars.put("ansible_user", user);
    vars.put("ansible_ssh_private_key_file", privateKey.toAbsolutePath().toString());
    vars.put("ansible_ssh_args", sshArgs());
    vars.put("ansible_ssh_common_args", sshCommonArgs());
    return vars;
  }

  /**
   * Host key pinning, then the tree's {@code ssh_args}: only the per-build known_hosts (written
   * with the builder's pinned key before the first connection), no global one, and {@code
   * StrictHostKeyChecking=yes}, so a host whose key is not the pinned one is refused. They come
   * first because ssh takes the first value of each option and Ansible writes {@code ssh_args}
   * first: the tree's {@code accept-new} cannot weaken them.
   */
  public String sshArgs() {
    return quoted(
            List.of(
                "-o",
                "StrictHostKeyChecking=yes",
                "-o",
                "UserKnownHostsFile=" + knownHosts.toAbsolutePath(),
                "-o",
                "GlobalKnownHostsFile=/dev/null"))
        + " "
        + baseSshArgs;
  }

  /** Only this key offered (no agent keys). */
  public String sshCommonArgs() {
    return quoted(List.of("-o", "IdentitiesOnly=yes", "-o", "IdentityAgent=none"));
  }

  private static String quoted(List<String> args) {
    return args.stream().map(Inventory::shellQuote).collect(Collectors.joining(" "));
  }

  /** The inventory as YAML text. */
  public String toYaml() {
    Map<String, Object> hosts = Map.of(hostName, hostVars());
    Map<String, Object> doc = Map.of("all", Map.of("hosts", hosts));
    try {
      return YAML.writeValueAsString(doc);
    } catch (IOException e) {
      throw new IllegalStateException("cannot write inventory", e);
    }
  }

  /** Writes the inventory to {@code file}. */
  public void write(Path file) throws IOException {
    Files.writeString(file, toYaml());
  }

  /** Ansible splits ssh_common_args like a POSIX shell; quote what needs it. */
  static String shellQuote(String arg) {
    if (SAFE_ARG.matcher(arg).matches()) {
      return arg;
    }
    return "'" + arg.replace("'", "'\"'\"'") + "'";
  }
}
