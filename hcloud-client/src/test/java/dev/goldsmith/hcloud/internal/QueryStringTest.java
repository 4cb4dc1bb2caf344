package dev.goldsmith.hcloud.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

class QueryStringTest {

  @Test
  void encodesSelectorsAndRepeatsKeys() {
    String q =
        new QueryString()
            .add("label_selector", "k=v,arch in (x86,arm)")
            .addAll("sort", List.of("id:asc", "name"))
            .add("page", 2)
            .add("name", null)
            .toString();
    assertThat(q)
        .isEqualTo(
            "?label_selector=k%3Dv%2Carch%20in%20%28x86%2Carm%29&sort=id%3Aasc&sort=name&page=2");
  }

  @Test
  void emptyIsEmpty() {
    assertThat(new QueryString().toString()).isEmpty();
  }
}
