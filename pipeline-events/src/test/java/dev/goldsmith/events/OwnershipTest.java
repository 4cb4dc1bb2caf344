package dev.goldsmith.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

class OwnershipTest {

  @Test
  void ownedNeedsBothManagedAndThisInstallation() {
    assertThat(Ownership.owned(Map.of(Ownership.MANAGED, "true", Ownership.INSTALLATION, "a"), "a"))
        .isTrue();
    assertThat(Ownership.owned(Map.of(Ownership.MANAGED, "true"), "a")).isFalse();
    assertThat(Ownership.owned(Map.of(Ownership.INSTALLATION, "a"), "a")).isFalse();
    assertThat(Ownership.owned(Map.of(Ownership.MANAGED, "true", Ownership.INSTALLATION, "b"), "a"))
        .isFalse();
    assertThat(
            Ownership.owned(Map.of(Ownership.MANAGED, "true", Ownership.INSTALLATION, "a"), null))
        .isFalse();
  }

  @Test
  void headersCarryTheGivenIdAndTraceparent() {
    ImagePromoted e =
        (ImagePromoted)
            SampleEvents.all().stream()
                .filter(x -> x instanceof ImagePromoted)
                .findFirst()
                .orElseThrow();
    var h = CloudEventHeaders.of(e, "/t", "fixed-id", "00-abc-def-01");
    assertThat(CloudEventHeaders.get(h, CloudEventHeaders.ID)).contains("fixed-id");
    assertThat(CloudEventHeaders.get(h, CloudEventHeaders.TRACEPARENT)).contains("00-abc-def-01");
    assertThat(CloudEventHeaders.problems(h)).isEmpty();
  }
}
