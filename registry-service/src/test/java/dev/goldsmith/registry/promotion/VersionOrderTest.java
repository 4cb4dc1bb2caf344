package dev.goldsmith.registry.promotion;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import dev.goldsmith.registry.domain.ImageVersion;

class VersionOrderTest {
  private static ImageVersion v(long id, String version) {
    ImageVersion v = new ImageVersion();
    v.id = id;
    v.version = version;
    return v;
  }

  @Test
  void allocatedVersionsCompareByDayThenNumberNotAsText() {
    assertThat(VersionOrder.higher(v(1, "20261201-v10"), v(2, "20261201-v9"))).isTrue();
    assertThat(VersionOrder.higher(v(1, "20261202-v1"), v(2, "20261201-v22"))).isTrue();
    assertThat(VersionOrder.higher(v(2, "20261201-v21"), v(1, "20261201-v22"))).isFalse();
    assertThat(VersionOrder.higher(v(1, "20261201-v3"), v(1, "20261201-v3"))).isFalse();
  }

  @Test
  void overrideVersionsCompareByAllocationOrder() {
    assertThat(VersionOrder.higher(v(5, "hotfix-1"), v(4, "20261201-v3"))).isTrue();
    assertThat(VersionOrder.higher(v(3, "hotfix-1"), v(4, "20261201-v3"))).isFalse();
  }
}
