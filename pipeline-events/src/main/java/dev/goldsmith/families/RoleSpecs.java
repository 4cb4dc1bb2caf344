package dev.goldsmith.families;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

/**
 * The typed inputs of every role under {@code ansible/roles}: the {@code main} entry point of each
 * role's {@code meta/argument_specs.yml}, which Ansible itself validates when the role starts. The
 * registry checks a request's overrides against the same specs ({@link OverrideValidator}), and the
 * family loader checks that every {@code overridable} variable of a family is declared here.
 */
public final class RoleSpecs {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private final Path rolesDir;
  private final Map<String, OptionSpec> variables;

  private RoleSpecs(Path rolesDir, Map<String, OptionSpec> variables) {
    this.rolesDir = rolesDir;
    this.variables = Map.copyOf(variables);
  }

  /**
   * Reads every {@code <role>/meta/argument_specs.yml} under a roles directory. A directory that
   * does not exist declares nothing (a family listing overridable variables then fails to load).
   *
   * @throws FamilyException listing every problem of every spec file
   */
  public static RoleSpecs load(Path rolesDir) {
    Path dir = rolesDir.toAbsolutePath().normalize();
    Map<String, OptionSpec> vars = new TreeMap<>();
    List<String> errors = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return new RoleSpecs(dir, vars);
    }
    List<Path> roles;
    try (Stream<Path> list = Files.list(dir)) {
      roles = list.filter(Files::isDirectory).sorted().toList();
    } catch (IOException e) {
      throw new FamilyException(List.of(dir + ": cannot list roles: " + e.getMessage()));
    }
    for (Path role : roles) {
      Path file = role.resolve("meta/argument_specs.yml");
      if (!Files.isRegularFile(file)) {
        continue;
      }
      String roleName = role.getFileName().toString();
      String source = roleName + "/meta/argument_specs.yml";
      try {
        JsonNode options = YAML.readTree(file.toFile()).path("argument_specs").path("main");
        if (!options.path("options").isObject()) {
          errors.add(source + ": argument_specs.main.options must be a mapping");
          continue;
        }
        Map<String, OptionSpec> parsed =
            options(
                errors, source, "argument_specs.main.options", roleName, options.get("options"));
        for (OptionSpec o : parsed.values()) {
          OptionSpec other = vars.putIfAbsent(o.name(), o);
          if (other != null) {
            errors.add(source + ": " + o.name() + " is declared by role " + other.role() + " too");
          }
        }
      } catch (IOException e) {
        errors.add(source + ": not valid YAML: " + e.getMessage().lines().findFirst().orElse(""));
      }
    }
    if (!errors.isEmpty()) {
      throw new FamilyException(errors);
    }
    return new RoleSpecs(dir, vars);
  }

  /** The roles directory the specs were read from. */
  public Path rolesDir() {
    return rolesDir;
  }

  /** The spec of a role variable, empty when no role declares it. */
  public Optional<OptionSpec> variable(String name) {
    return Optional.ofNullable(variables.get(name));
  }

  /** The {@code files/} directory of a role. */
  public Path filesDir(String role) {
    return rolesDir.resolve(role).resolve("files");
  }

  /** Every overridable entry of a family that no role declares, as loader errors. */
  List<String> undeclared(String source, List<String> overridable) {
    List<String> errors = new ArrayList<>();
    for (int i = 0; i < overridable.size(); i++) {
      if (!variables.containsKey(overridable.get(i))) {
        errors.add(
            source
                + ": overridable["
                + i
                + "]: '"
                + overridable.get(i)
                + "' is not declared in any role's meta/argument_specs.yml under "
                + rolesDir);
      }
    }
    return errors;
  }

  private static Map<String, OptionSpec> options(
      List<String> errors, String source, String path, String role, JsonNode node) {
    Map<String, OptionSpec> out = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String at = path + "." + e.getKey();
      JsonNode o = e.getValue();
      if (!o.isObject()) {
        errors.add(source + ": " + at + ": must be a mapping");
        continue;
      }
      OptionSpec.Type type = type(errors, source, at + ".type", o.path("type").asText("str"));
      OptionSpec.Type elements =
          o.has("elements")
              ? type(errors, source, at + ".elements", o.get("elements").asText())
              : null;
      if (type == OptionSpec.Type.LIST && elements == null && !o.has("elements")) {
        elements = OptionSpec.Type.RAW;
      }
      Map<String, OptionSpec> sub =
          o.path("options").isObject()
              ? options(errors, source, at + ".options", role, o.get("options"))
              : Map.of();
      out.put(
          e.getKey(),
          new OptionSpec(
              e.getKey(),
              role,
              type == null ? OptionSpec.Type.RAW : type,
              type == OptionSpec.Type.LIST ? elements : null,
              OptionSpec.Kind.ofDescription(description(o.get("description"))),
              sub,
              o.path("required").asBoolean(false)));
    }
    return out;
  }

  private static OptionSpec.Type type(List<String> errors, String source, String at, String t) {
    Optional<OptionSpec.Type> type = OptionSpec.Type.fromWire(t);
    if (type.isEmpty()) {
      errors.add(
          source
              + ": "
              + at
              + ": type '"
              + t
              + "' is not one overrides can have (str, int, float, bool, list, dict, path, raw)");
      return null;
    }
    return type.get();
  }

  private static String description(JsonNode d) {
    if (d == null) {
      return "";
    }
    return d.isArray() && !d.isEmpty() ? d.get(0).asText() : d.asText();
  }
}
