package dev.goldsmith.hcloud.label;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.goldsmith.hcloud.error.HcloudArgumentException;

class LabelSelectorTest {

  @Test
  void everyOperatorRendersAsTheApiExpects() {
    LabelSelector s =
        LabelSelector.builder()
            .eq("goldsmith.dev/role", "golden")
            .notEq("env", "dev")
            .present("owner")
            .absent("deprecated")
            .in("arch", List.of("x86", "arm"))
            .notIn("tier", List.of("a", "b"))
            .build();

    assertThat(s.toString())
        .isEqualTo(
            "goldsmith.dev/role=golden,env!=dev,owner,!deprecated,arch in (x86,arm),tier notin (a,b)");
    assertThat(s.terms()).hasSize(6);
  }

  @Test
  void matchingBuildsEqualityTermsInMapOrder() {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put("a", "1");
    labels.put("b", "");
    assertThat(LabelSelector.matching(labels).toString()).isEqualTo("a=1,b=");
  }

  @Test
  void emptySelectorMatchesEverything() {
    assertThat(LabelSelector.builder().build().isEmpty()).isTrue();
    assertThat(LabelSelector.builder().build().toString()).isEmpty();
  }

  @Test
  void valueWithCommaIsRejectedSoItCannotAddATerm() {
    assertThatThrownBy(() -> LabelSelector.builder().eq("k", "a,b=c"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("a,b=c");
  }

  @Test
  void emptySetIsRejected() {
    assertThatThrownBy(() -> LabelSelector.builder().in("k", List.of()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void labelRulesFollowTheApi() {
    assertThat(Labels.checkKey("goldsmith.dev/role")).isEmpty();
    assertThat(Labels.checkKey("a")).isEmpty();
    assertThat(Labels.checkKey("a-b_c.d")).isEmpty();
    assertThat(Labels.checkKey("-a")).isNotEmpty();
    assertThat(Labels.checkKey("a".repeat(64))).isNotEmpty();
    assertThat(Labels.checkKey("hetzner.cloud/x")).isNotEmpty();
    assertThat(Labels.checkKey("Bad_Prefix/x")).isNotEmpty();
    assertThat(Labels.checkValue("")).isEmpty();
    assertThat(Labels.checkValue("v1.2-3")).isEmpty();
    assertThat(Labels.checkValue("v ")).isNotEmpty();
    assertThat(Labels.checkValue("x".repeat(64))).isNotEmpty();
  }

  @Test
  void validateReportsAllProblemsAtOnce() {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put("-bad", "ok");
    labels.put("good", "bad value");
    assertThatThrownBy(() -> Labels.validate(labels))
        .isInstanceOf(HcloudArgumentException.class)
        .satisfies(e -> assertThat(((HcloudArgumentException) e).problems()).hasSize(2));
  }
}
