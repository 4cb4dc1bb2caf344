package dev.goldsmith.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DigestsTest {
  @TempDir Path dir;

  @Test
  void canonicalJsonSortsKeysAtEveryDepthAndHasNoWhitespace() {
    Map<String, Object> inner = new LinkedHashMap<>();
    inner.put("z", 1);
    inner.put("a", List.of("x", "y"));
    Map<String, Object> outer = new LinkedHashMap<>();
    outer.put("b", inner);
    outer.put("a", true);
    assertThat(Digests.canonicalJson(outer))
        .isEqualTo("{\"a\":true,\"b\":{\"a\":[\"x\",\"y\"],\"z\":1}}");
  }

  @Test
  void theJsonDigestIgnoresKeyOrderButNotValuesOrListOrder() {
    Map<String, Object> one = new LinkedHashMap<>();
    one.put("pkgs", List.of("htop", "jq"));
    one.put("debug", false);
    Map<String, Object> two = new LinkedHashMap<>();
    two.put("debug", false);
    two.put("pkgs", List.of("htop", "jq"));
    String digest = Digests.sha256OfJson(one);
    assertThat(digest).matches(Patterns.SHA256).isEqualTo(Digests.sha256OfJson(two));
    two.put("debug", true);
    assertThat(Digests.sha256OfJson(two)).isNotEqualTo(digest);
    assertThat(Digests.sha256OfJson(Map.of("pkgs", List.of("jq", "htop"), "debug", false)))
        .isNotEqualTo(digest);
  }

  @Test
  void theJsonDigestOfAKnownValueIsTheSha256OfItsCanonicalText() {
    // sha256("{\"a\":1}") as computed by sha256sum
    assertThat(Digests.sha256OfJson(Map.of("a", 1)))
        .isEqualTo("015abd7f5cc57a2dd94b7590f04ad8084273905ee33ec5cebeae62276a97f862");
  }

  @Test
  void theReportDigestIsStableAndFollowsTheReport() {
    VerificationFinished v =
        (VerificationFinished)
            SampleEvents.all().stream()
                .filter(e -> e instanceof VerificationFinished)
                .findFirst()
                .orElseThrow();
    VerificationReport report = v.report();
    VerificationReport same =
        EventCodec.fromJson(EventCodec.toJson(report), VerificationReport.class);
    assertThat(Digests.sha256OfJson(same)).isEqualTo(Digests.sha256OfJson(report));
    VerificationReport other =
        new VerificationReport(
            report.binaries(), report.checks(), report.summary() + ".", report.access());
    assertThat(Digests.sha256OfJson(other)).isNotEqualTo(Digests.sha256OfJson(report));
  }

  @Test
  void theFilesDigestIgnoresTheOrderFilesAreGivenInButSeesContentAndNames() throws IOException {
    Path a = write("roles/users/tasks/main.yml", "- name: users\n");
    Path b = write("roles/users/defaults/main.yml", "users: []\n");
    String digest = Digests.files(dir, List.of(a, b));
    assertThat(digest).matches(Patterns.SHA256).isEqualTo(Digests.files(dir, List.of(b, a)));

    Files.writeString(b, "users: [admin]\n");
    String changed = Digests.files(dir, List.of(a, b));
    assertThat(changed).isNotEqualTo(digest);

    Path moved = dir.resolve("roles/users/vars/main.yml");
    Files.createDirectories(moved.getParent());
    Files.move(b, moved);
    assertThat(Digests.files(dir, List.of(a, moved))).isNotEqualTo(changed);
  }

  @Test
  void theFilesDigestTellsWhereOneFileEndsAndTheNextBegins() throws IOException {
    Path a = write("x/a", "ab");
    Path b = write("x/b", "c");
    String split = Digests.files(dir, List.of(a, b));
    Files.writeString(a, "a");
    Files.writeString(b, "bc");
    assertThat(Digests.files(dir, List.of(a, b))).isNotEqualTo(split);
  }

  private Path write(String rel, String content) throws IOException {
    Path p = dir.resolve(rel);
    Files.createDirectories(p.getParent());
    Files.writeString(p, content);
    return p;
  }
}
