package dev.goldsmith.registry;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Gives the registry under test a copy of {@code ansible/roles} whose {@code
 * publish_binaries/files} also holds {@link #ESCAPE_LINK}, a symbolic link to {@code /etc/shadow}:
 * a request naming it as {@code src} must be rejected although the name itself looks harmless. The
 * repository stays clean.
 */
public class RolesWithEscapeResource implements QuarkusTestResourceLifecycleManager {
  public static final String ESCAPE_LINK = "escape-link";

  private static final Path COPY = Path.of("target/test-roles").toAbsolutePath();

  @Override
  public Map<String, String> start() {
    try {
      delete(COPY);
      Path source = Path.of("../ansible/roles").toAbsolutePath().normalize();
      try (Stream<Path> all = Files.walk(source)) {
        for (Path p : all.toList()) {
          Path target = COPY.resolve(source.relativize(p).toString());
          if (Files.isDirectory(p)) {
            Files.createDirectories(target);
          } else {
            Files.copy(p, target);
          }
        }
      }
      Files.createSymbolicLink(
          COPY.resolve("publish_binaries/files").resolve(ESCAPE_LINK), Path.of("/etc/shadow"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return Map.of("goldsmith.registry.families.roles-dir", COPY.toString());
  }

  @Override
  public void stop() {}

  private static void delete(Path dir) throws IOException {
    if (!Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
