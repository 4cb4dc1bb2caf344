package dev.goldsmith.emulator.hosts;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import dev.goldsmith.emulator.backend.ServerBackend.BackendException;

/**
 * The Debian repositories the host itself uses, read from {@code /etc/apt/sources.list.d/*.sources}
 * (deb822) or {@code /etc/apt/sources.list}. The base image and apt-cacher-ng both use them, so the
 * emulator never hard-codes a mirror.
 */
record AptSources(List<Repo> repos) {

  /** One repository: an http URI with its suites and components. */
  record Repo(String uri, List<String> suites, List<String> components) {}

  static AptSources read(String setting) {
    List<Path> files = new ArrayList<>();
    if ("auto".equals(setting)) {
      Path d = Path.of("/etc/apt/sources.list.d");
      if (Files.isDirectory(d)) {
        try (var s = Files.list(d)) {
          s.filter(p -> p.toString().endsWith(".sources") || p.toString().endsWith(".list"))
              .sorted()
              .forEach(files::add);
        } catch (IOException e) {
          throw new BackendException("cannot read " + d, e);
        }
      }
      files.add(Path.of("/etc/apt/sources.list"));
    } else {
      files.add(Path.of(setting));
    }
    List<Repo> repos = new ArrayList<>();
    for (Path f : files) {
      if (!Files.isRegularFile(f)) {
        continue;
      }
      try {
        String text = Files.readString(f);
        repos.addAll(f.toString().endsWith(".sources") ? parseDeb822(text) : parseOneLine(text));
      } catch (IOException e) {
        throw new BackendException("cannot read " + f, e);
      }
    }
    repos.removeIf(r -> !r.uri().startsWith("http://"));
    if (repos.isEmpty()) {
      throw new BackendException(
          "no http:// Debian repository in the host's apt sources ("
              + files
              + "); the base image and apt-cacher-ng need one");
    }
    return new AptSources(List.copyOf(repos));
  }

  static List<Repo> parseDeb822(String text) {
    List<Repo> out = new ArrayList<>();
    for (String stanza : text.split("\\n\\s*\\n")) {
      String types = "";
      String uris = "";
      String suites = "";
      String comps = "";
      boolean enabled = true;
      for (String line : stanza.split("\n")) {
        if (line.startsWith("#") || !line.contains(":")) {
          continue;
        }
        String key = line.substring(0, line.indexOf(':')).trim().toLowerCase();
        String val = line.substring(line.indexOf(':') + 1).trim();
        switch (key) {
          case "types" -> types = val;
          case "uris" -> uris = val;
          case "suites" -> suites = val;
          case "components" -> comps = val;
          case "enabled" -> enabled = !val.equalsIgnoreCase("no");
          default -> {}
        }
      }
      if (!enabled || !Arrays.asList(types.split("\\s+")).contains("deb")) {
        continue;
      }
      for (String uri : uris.split("\\s+")) {
        if (!uri.isBlank()) {
          out.add(new Repo(trim(uri), words(suites), words(comps)));
        }
      }
    }
    return out;
  }

  static List<Repo> parseOneLine(String text) {
    List<Repo> out = new ArrayList<>();
    for (String line : text.split("\n")) {
      line = line.replaceAll("\\[[^]]*]", " ").trim();
      List<String> w = words(line);
      if (w.size() >= 3 && w.get(0).equals("deb")) {
        out.add(new Repo(trim(w.get(1)), List.of(w.get(2)), w.subList(3, w.size())));
      }
    }
    return out;
  }

  private static List<String> words(String s) {
    return Arrays.stream(s.trim().split("\\s+")).filter(x -> !x.isEmpty()).toList();
  }

  private static String trim(String uri) {
    return uri.replaceAll("/+$", "");
  }

  /** {@code deb URI SUITE COMPONENTS} lines for mmdebstrap (suites of the given release only). */
  List<String> debLines(String release) {
    List<String> lines = new ArrayList<>();
    for (Repo r : repos) {
      for (String s : r.suites()) {
        if (s.equals(release) || s.startsWith(release + "-")) {
          lines.add("deb " + r.uri() + " " + s + " " + String.join(" ", r.components()));
        }
      }
    }
    if (lines.stream().noneMatch(l -> l.split(" ")[2].equals(release))) {
      throw new BackendException("the host's apt sources have no " + release + " suite");
    }
    return lines;
  }

  /** apt-cacher-ng {@code Remap-} lines: each repository is served from its own URI only. */
  List<String> remapLines() {
    Set<String> uris = new LinkedHashSet<>();
    repos.forEach(r -> uris.add(r.uri()));
    List<String> lines = new ArrayList<>();
    int i = 0;
    for (String uri : uris) {
      String hostPath = uri.substring("http://".length());
      String path = hostPath.contains("/") ? hostPath.substring(hostPath.indexOf('/')) : "";
      lines.add(
          "Remap-gsrepo"
              + (i++)
              + ": "
              + hostPath
              + (path.isEmpty() ? "" : " " + path)
              + " ; "
              + uri
              + "/");
    }
    return lines;
  }
}
