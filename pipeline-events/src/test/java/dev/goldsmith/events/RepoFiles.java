package dev.goldsmith.events;

import java.nio.file.Files;
import java.nio.file.Path;

/** Locates files of the repository from tests (the build passes the root as a property). */
public final class RepoFiles {
  private RepoFiles() {}

  public static Path root() {
    String configured = System.getProperty("goldsmith.repo.root");
    Path p = configured != null ? Path.of(configured) : Path.of("").toAbsolutePath();
    while (p != null && !Files.exists(p.resolve("mvnw"))) {
      p = p.getParent();
    }
    if (p == null) {
      throw new IllegalStateException(
          "cannot find the repository root (no mvnw above the working dir)");
    }
    return p;
  }

  public static Path resolve(String relative) {
    return root().resolve(relative);
  }
}
