package dev.goldsmith.testkit;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Debian's {@code chromium}, run as a real process per page: {@code --headless --dump-dom} gives
 * the DOM after the page was parsed and its scripts ran, {@code --screenshot} a PNG of it, in one
 * run. The profile lives under {@code target/}; background networking is off and every host name
 * but 127.0.0.1 fails to resolve, so the browser talks to the registry under test and nothing else.
 *
 * <p>Without a chromium binary the test is aborted locally but fails in CI ({@code CI=true}), where
 * {@code deploy/install-packages.sh} installs it.
 */
public final class HeadlessChromium {
  private static final List<String> NAMES = List.of("chromium", "chromium-browser");
  private final String binary;
  private final Path profile;
  private final Path log;

  private HeadlessChromium(String binary, Path workDir) throws IOException {
    this.binary = binary;
    this.profile = Files.createDirectories(workDir.resolve("chromium-profile"));
    this.log = workDir.resolve("chromium.log");
  }

  /** The browser, or the test stops here (aborted locally, failed in CI). */
  public static HeadlessChromium require(Path workDir) throws IOException {
    Optional<String> found =
        Optional.ofNullable(System.getenv("GOLDSMITH_CHROMIUM"))
            .filter(b -> new File(b).canExecute())
            .or(HeadlessChromium::onPath);
    if (found.isEmpty()) {
      String why =
          "no chromium on PATH (Debian package chromium; deploy/install-packages.sh installs it)";
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        Assertions.fail(why);
      }
      Assumptions.abort(why);
    }
    return new HeadlessChromium(found.get(), workDir);
  }

  private static Optional<String> onPath() {
    String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
    for (String dir : path.split(File.pathSeparator)) {
      for (String name : NAMES) {
        File f = new File(dir, name);
        if (f.canExecute()) {
          return Optional.of(f.getAbsolutePath());
        }
      }
    }
    return Optional.empty();
  }

  /**
   * Loads a page, saves its screenshot and returns the rendered DOM.
   *
   * @param url an http://127.0.0.1 URL
   * @param screenshot where the PNG goes
   */
  public Document load(String url, Path screenshot) throws IOException, InterruptedException {
    Files.createDirectories(screenshot.getParent());
    Files.deleteIfExists(screenshot);
    Path dom = Files.createTempFile(profile.getParent(), "dom-", ".html");
    Process p =
        new ProcessBuilder(
                binary,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--no-first-run",
                "--no-default-browser-check",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-extensions",
                "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
                "--user-data-dir=" + profile.toAbsolutePath(),
                "--window-size=1280,1600",
                "--screenshot=" + screenshot.toAbsolutePath(),
                "--dump-dom",
                url)
            .redirectOutput(dom.toFile())
            .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .start();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      throw new AssertionError("chromium did not finish loading " + url + " in 60 s; see " + log);
    }
    if (p.exitValue() != 0) {
      throw new AssertionError(
          "chromium exited " + p.exitValue() + " loading " + url + "; see " + log);
    }
    String html = Files.readString(dom, StandardCharsets.UTF_8);
    Files.delete(dom);
    if (!Files.isRegularFile(screenshot) || Files.size(screenshot) == 0) {
      throw new AssertionError("chromium wrote no screenshot of " + url + "; see " + log);
    }
    if (html.isBlank()) {
      throw new AssertionError("chromium rendered nothing for " + url + "; see " + log);
    }
    return Jsoup.parse(html, url);
  }
}
