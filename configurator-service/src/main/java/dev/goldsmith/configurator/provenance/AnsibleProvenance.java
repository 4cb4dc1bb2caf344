package dev.goldsmith.configurator.provenance;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import dev.goldsmith.events.Digests;
import dev.goldsmith.events.Patterns;
import dev.goldsmith.events.Provenance;

/**
 * What the configurator records about a playbook run ({@link Provenance#configured}): the git
 * revision of the ansible/ tree and whether it had changes, the digest of the playbook and the
 * roles it uses, and the digest of the variables passed. Asking git never fails a build: a tree
 * that is not a git checkout (or a git that is missing or slow) gives {@code unknown}.
 */
public final class AnsibleProvenance {
  private static final Logger LOG = Logger.getLogger(AnsibleProvenance.class);
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final Duration GIT_TIMEOUT = Duration.ofSeconds(10);
  private static final java.util.regex.Pattern ROLE_NAME =
      java.util.regex.Pattern.compile("^[A-Za-z0-9_.-]+$");

  private AnsibleProvenance() {}

  /** A git revision and whether the tree had changes (null when unknown). */
  public record Revision(String commit, Boolean dirty) {
    static final Revision UNKNOWN = new Revision(Provenance.UNKNOWN_REVISION, null);
  }

  /** The provenance of a run of {@code playbook} in {@code ansibleDir} with {@code extraVars}. */
  public static Provenance of(Path ansibleDir, Path playbook, List<?> extraVars) {
    Revision rev = revision(ansibleDir);
    return Provenance.configured(
        rev.commit(), rev.dirty(), rolesDigest(ansibleDir, playbook), varsDigest(extraVars));
  }

  /**
   * SHA-256 of the canonical JSON of the variables in the order they are passed (one element per
   * {@code --extra-vars} file).
   */
  public static String varsDigest(List<?> extraVars) {
    return Digests.sha256OfJson(extraVars);
  }

  /**
   * SHA-256 over the playbook and every regular file of the roles it uses ({@link #usedRoles}),
   * paths relative to {@code ansibleDir} ({@link Digests#files}).
   */
  public static String rolesDigest(Path ansibleDir, Path playbook) {
    Path root = ansibleDir.toAbsolutePath().normalize();
    Set<Path> files = new TreeSet<>();
    files.add(playbook.toAbsolutePath().normalize());
    for (String role : usedRoles(root, playbook)) {
      Path dir = root.resolve("roles").resolve(role).normalize();
      if (!dir.startsWith(root.resolve("roles")) || !Files.isDirectory(dir)) {
        continue;
      }
      try (Stream<Path> walk = Files.walk(dir)) {
        walk.filter(Files::isRegularFile).forEach(f -> files.add(f.toAbsolutePath().normalize()));
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
    return Digests.files(root, files);
  }

  /**
   * The roles a playbook uses: those its plays name under {@code roles:} (a name or {@code role:} /
   * {@code name:}), and, transitively, their {@code meta/main.yml} dependencies, in the order met.
   * A playbook that cannot be read as YAML uses every role under {@code roles/}.
   */
  public static List<String> usedRoles(Path ansibleDir, Path playbook) {
    Path roles = ansibleDir.toAbsolutePath().normalize().resolve("roles");
    Set<String> found = new LinkedHashSet<>();
    Deque<String> todo = new ArrayDeque<>();
    try {
      JsonNode plays = YAML.readTree(playbook.toFile());
      if (plays != null && plays.isArray()) {
        for (JsonNode play : plays) {
          names(play.get("roles")).forEach(todo::add);
        }
      }
    } catch (IOException e) {
      LOG.warnf("cannot read %s as YAML (%s); the roles digest covers every role", playbook, e);
      try (Stream<Path> all = Files.list(roles)) {
        return all.filter(Files::isDirectory)
            .map(p -> p.getFileName().toString())
            .sorted()
            .toList();
      } catch (IOException io) {
        return List.of();
      }
    }
    while (!todo.isEmpty()) {
      String role = todo.removeFirst();
      if (!ROLE_NAME.matcher(role).matches() || !found.add(role)) {
        continue;
      }
      Path meta = roles.resolve(role).resolve("meta").resolve("main.yml");
      if (Files.isRegularFile(meta)) {
        try {
          JsonNode m = YAML.readTree(meta.toFile());
          if (m != null) {
            names(m.get("dependencies")).forEach(todo::add);
          }
        } catch (IOException e) {
          LOG.warnf("cannot read %s as YAML (%s); its dependencies are not followed", meta, e);
        }
      }
    }
    return List.copyOf(found);
  }

  private static List<String> names(JsonNode list) {
    List<String> out = new ArrayList<>();
    if (list == null || !list.isArray()) {
      return out;
    }
    for (JsonNode r : list) {
      if (r.isTextual()) {
        out.add(r.asText());
      } else if (r.isObject()) {
        JsonNode n = r.has("role") ? r.get("role") : r.get("name");
        if (n != null && n.isTextual()) {
          out.add(n.asText());
        }
      }
    }
    return out;
  }

  /**
   * The commit checked out at {@code dir} and whether the tree under {@code dir} has uncommitted
   * changes; {@link Revision#UNKNOWN} when it is not a git checkout or git cannot tell.
   */
  public static Revision revision(Path dir) {
    String head = git(dir, "rev-parse", "--verify", "HEAD");
    if (head == null || !head.strip().matches(Patterns.GIT_REVISION)) {
      return Revision.UNKNOWN;
    }
    String status = git(dir, "status", "--porcelain", "--", ".");
    return new Revision(head.strip(), status == null ? null : !status.isBlank());
  }

  /** Runs git in {@code dir}; its stdout, or null when it failed, timed out or is missing. */
  private static String git(Path dir, String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add("git");
    // A tree owned by another user is still read (git refuses "dubious ownership" otherwise).
    cmd.add("-c");
    cmd.add("safe.directory=*");
    cmd.add("-C");
    cmd.add(dir.toAbsolutePath().toString());
    cmd.addAll(List.of(args));
    Path out = null;
    Process p = null;
    try {
      // Output to a file, so a git that hangs cannot block the read past the timeout.
      out = Files.createTempFile("goldsmith-git", ".out");
      ProcessBuilder pb =
          new ProcessBuilder(cmd)
              .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
              .redirectOutput(out.toFile())
              .redirectError(ProcessBuilder.Redirect.DISCARD);
      pb.environment().put("GIT_TERMINAL_PROMPT", "0");
      pb.environment().put("GIT_OPTIONAL_LOCKS", "0");
      p = pb.start();
      if (!p.waitFor(GIT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        return null;
      }
      if (p.exitValue() != 0) {
        return null;
      }
      try (InputStream in = Files.newInputStream(out)) {
        return new String(in.readNBytes(1 << 20), StandardCharsets.UTF_8);
      }
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    } finally {
      if (p != null && p.isAlive()) {
        p.destroyForcibly();
      }
      if (out != null) {
        try {
          Files.deleteIfExists(out);
        } catch (IOException ignored) {
          // a temp file left behind is harmless
        }
      }
    }
  }
}
