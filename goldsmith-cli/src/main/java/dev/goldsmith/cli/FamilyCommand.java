package dev.goldsmith.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.goldsmith.families.Family;
import dev.goldsmith.families.FamilyException;
import dev.goldsmith.families.FamilyLoader;
import dev.goldsmith.families.RoleSpecs;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code goldsmith family …}. */
@Command(
    name = "family",
    mixinStandardHelpOptions = true,
    description = "Family files.",
    subcommands = {FamilyCommand.Validate.class})
public class FamilyCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new picocli.CommandLine.ParameterException(
        spec.commandLine(), "name a subcommand: validate");
  }

  /** {@code goldsmith family validate [FILE|NAME]}. */
  @Command(
      name = "validate",
      mixinStandardHelpOptions = true,
      description = {
        "Validate family files offline, with the registry's own checks (the same loader and role"
            + " argument specs), every error at once. FILE is a path, NAME a family of the"
            + " families dir; without either, every family of the dir.",
        "Exit 0 when valid, 1 when not."
      })
  static class Validate implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(arity = "0..1", paramLabel = "FILE|NAME")
    String target;

    @Option(
        names = "--families-dir",
        paramLabel = "DIR",
        defaultValue = "${env:GOLDSMITH_FAMILIES_DIR}",
        description =
            "the family files (env GOLDSMITH_FAMILIES_DIR; default: ansible/families of the"
                + " repository around the working dir or the CLI)")
    Path familiesDir;

    @Option(
        names = "--roles-dir",
        paramLabel = "DIR",
        description =
            "the roles whose argument specs declare the overridable vars (default: roles next"
                + " to the file's dir, else next to the families dir)")
    Path rolesDir;

    @Override
    public Integer call() {
      Goldsmith g = Goldsmith.root(spec);
      Path dir = familiesDir != null ? familiesDir : defaultFamiliesDir();
      List<String> errors = new ArrayList<>();
      List<String> valid = new ArrayList<>();
      String what;
      if (target == null) {
        if (dir == null || !Files.isDirectory(dir)) {
          throw new CliException(
              ExitCode.FAILED_REQUEST,
              "no families dir found (give FILE, --families-dir or GOLDSMITH_FAMILIES_DIR)");
        }
        what = dir.toString();
        try {
          Map<String, Family> all = FamilyLoader.loadDirectory(dir, RoleSpecs.load(roles(dir)));
          all.keySet().stream().sorted().forEach(valid::add);
        } catch (FamilyException e) {
          errors.addAll(e.errors());
        }
      } else {
        Path file = file(target, dir);
        what = file.toString();
        Path fileDir = file.toAbsolutePath().getParent();
        try {
          valid.add(FamilyLoader.load(file, RoleSpecs.load(roles(fileDir, dir))).name());
        } catch (FamilyException e) {
          errors.addAll(e.errors());
        }
      }
      if (g.json()) {
        ObjectNode o = Registry.JSON.createObjectNode();
        o.put("target", what);
        o.put("valid", errors.isEmpty());
        ArrayNode fams = o.putArray("families");
        valid.forEach(fams::add);
        ArrayNode errs = o.putArray("errors");
        errors.forEach(errs::add);
        g.printJson(o);
      } else if (errors.isEmpty()) {
        g.out().println(what + ": valid (" + String.join(", ", valid) + ")");
      } else {
        g.out().println(what + ": " + errors.size() + (errors.size() == 1 ? " error" : " errors"));
        errors.forEach(e -> g.out().println("  " + e));
      }
      return errors.isEmpty() ? ExitCode.OK : ExitCode.FAILED_REQUEST;
    }

    private Path file(String t, Path dir) {
      Path p = Path.of(t);
      if (Files.exists(p) || t.contains("/") || t.endsWith(".yml") || t.endsWith(".yaml")) {
        if (!Files.isRegularFile(p)) {
          throw new CliException(ExitCode.FAILED_REQUEST, "no family file " + t);
        }
        return p;
      }
      if (dir == null) {
        throw new CliException(
            ExitCode.FAILED_REQUEST, "no families dir to find " + t + " in (--families-dir)");
      }
      Path f = dir.resolve(t + ".yml");
      if (!Files.isRegularFile(f)) {
        throw new CliException(
            ExitCode.FAILED_REQUEST, "family " + t + " is not defined in " + dir);
      }
      return f;
    }

    /** The roles dir as the registry finds it: {@code <families dir>/../roles}. */
    private Path roles(Path... candidates) {
      if (rolesDir != null) {
        return rolesDir;
      }
      for (Path c : candidates) {
        if (c != null) {
          Path r = c.toAbsolutePath().normalize().resolveSibling("roles");
          if (Files.isDirectory(r)) {
            return r;
          }
        }
      }
      return candidates[candidates.length - 1] == null
          ? Path.of("roles")
          : candidates[candidates.length - 1].toAbsolutePath().normalize().resolveSibling("roles");
    }
  }

  /** {@code ansible/families} of the repository around the working dir, else around the jar. */
  static Path defaultFamiliesDir() {
    List<Path> starts = new ArrayList<>();
    starts.add(Path.of("").toAbsolutePath());
    try {
      starts.add(
          Path.of(FamilyCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI()));
    } catch (Exception e) {
      // no code source: the working dir only
    }
    for (Path s : starts) {
      for (Path p = s; p != null; p = p.getParent()) {
        Path f = p.resolve("ansible/families");
        if (Files.isDirectory(f)) {
          return f;
        }
      }
    }
    return null;
  }
}
