package dev.goldsmith.emulator.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.api.Test;

class LabelSelectorTest {
  private static final Map<String, String> PROD = Map.of("env", "prod", "role", "builder");
  private static final Map<String, String> DEV = Map.of("env", "dev");
  private static final Map<String, String> NONE = Map.of();

  private static boolean matches(String selector, Map<String, String> labels) {
    return LabelSelector.parse(selector).test(labels);
  }

  @Test
  void equalityWithOneOrTwoEqualsSigns() {
    assertThat(matches("env=prod", PROD)).isTrue();
    assertThat(matches("env==prod", PROD)).isTrue();
    assertThat(matches("env=prod", DEV)).isFalse();
    assertThat(matches("env=prod", NONE)).isFalse();
  }

  @Test
  void inequalityAlsoMatchesResourcesWithoutTheKey() {
    assertThat(matches("env!=prod", DEV)).isTrue();
    assertThat(matches("env!=prod", NONE)).isTrue();
    assertThat(matches("env!=prod", PROD)).isFalse();
  }

  @Test
  void presenceAndAbsence() {
    assertThat(matches("role", PROD)).isTrue();
    assertThat(matches("role", DEV)).isFalse();
    assertThat(matches("!role", DEV)).isTrue();
    assertThat(matches("!role", PROD)).isFalse();
  }

  @Test
  void inAndNotinWithCommasInsideParentheses() {
    assertThat(matches("env in (prod,staging)", PROD)).isTrue();
    assertThat(matches("env in (dev, staging)", PROD)).isFalse();
    assertThat(matches("env in (dev,staging)", NONE)).isFalse();
    assertThat(matches("env notin (dev,staging)", PROD)).isTrue();
    assertThat(matches("env notin (prod,staging)", PROD)).isFalse();
    assertThat(matches("env notin (prod,staging)", NONE)).isTrue();
  }

  @Test
  void termsAreCombinedWithAnd() {
    assertThat(matches("env in (prod,dev),role=builder", PROD)).isTrue();
    assertThat(matches("env in (prod,dev),role=builder", DEV)).isFalse();
    assertThat(matches("env in (prod,dev),!role", DEV)).isTrue();
    assertThat(LabelSelector.split("a in (x,y),b,c notin (z)"))
        .containsExactly("a in (x,y)", "b", "c notin (z)");
  }

  @Test
  void prefixedKeys() {
    assertThat(matches("goldsmith.dev/stage=built", Map.of("goldsmith.dev/stage", "built")))
        .isTrue();
  }

  @Test
  void syntaxErrorsNameTheSelector() {
    for (String bad :
        new String[] {"env in (a,b", "env=prod,", "=x", "env in a", "a b", "env=(x)", ")"}) {
      assertThatThrownBy(() -> LabelSelector.parse(bad))
          .as(bad)
          .isInstanceOf(LabelSelector.InvalidSelectorException.class)
          .hasMessage("invalid label selector: " + bad);
    }
  }
}
