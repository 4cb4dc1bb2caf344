package dev.goldsmith.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

class FailureClassTest {

  @Test
  void wireNamesAreTheReasonStringsTheServicesWrote() {
    assertThat(Arrays.stream(FailureClass.values()).map(FailureClass::wireName))
        .containsExactlyInAnyOrder(
            "action_failed",
            "action_vanished",
            "api_error",
            "network_error",
            "timeout",
            "deadline",
            "internal_error",
            "builder_missing",
            "builder_vanished",
            "snapshot_vanished",
            "snapshot_unavailable",
            "ssh_key_missing",
            "playbook_failed",
            "host_key_mismatch",
            "builder_unreachable",
            "playbook_timeout",
            "refused",
            "artifact_defect",
            "channel_failure",
            "infra_failure");
  }

  @Test
  void everyReasonOfAFailedConfigureIsAFailureClass() throws Exception {
    // the provisioner turns a failed BuilderConfigured's reasonClass into BuildFailed.reasonClass
    for (java.lang.reflect.Field f : BuilderConfigured.class.getFields()) {
      if (java.lang.reflect.Modifier.isStatic(f.getModifiers()) && f.getType() == String.class) {
        String reason = (String) f.get(null);
        assertThat(FailureClass.byWireName(reason)).as(f.getName() + " = " + reason).isPresent();
      }
    }
  }

  @Test
  void everyNonPassingVerdictHasAFailureClass() {
    assertThat(FailureClass.of(Verdict.ARTIFACT_DEFECT)).isEqualTo(FailureClass.ARTIFACT_DEFECT);
    assertThat(FailureClass.of(Verdict.CHANNEL_FAILURE)).isEqualTo(FailureClass.CHANNEL_FAILURE);
    assertThat(FailureClass.of(Verdict.INFRA_FAILURE)).isEqualTo(FailureClass.INFRA_FAILURE);
    assertThatThrownBy(() -> FailureClass.of(Verdict.PASSED))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void buildFailedCarriesTheWireNameOnTheTopic() {
    BuildFailed failed = sample(FailureClass.PLAYBOOK_FAILED);
    String json = EventCodec.toJson(failed);
    assertThat(json).contains("\"reasonClass\":\"playbook_failed\"");
    assertThat(EventCodec.fromJson(json, BuildFailed.class).reasonClass())
        .isEqualTo(FailureClass.PLAYBOOK_FAILED);
  }

  @Test
  void theStringConstructorAcceptsWireNamesOnly() {
    BuildFailed byName =
        new BuildFailed(
            SampleEvents.BUILD,
            "base",
            "v1",
            BuildFailed.Stage.PROVISION,
            "ssh_key_missing",
            "no key",
            List.of(),
            SampleEvents.AT);
    assertThat(byName)
        .isEqualTo(
            new BuildFailed(
                SampleEvents.BUILD,
                "base",
                "v1",
                BuildFailed.Stage.PROVISION,
                FailureClass.SSH_KEY_MISSING,
                "no key",
                List.of(),
                SampleEvents.AT));
    assertThat(byName.reasonClass() + "").isEqualTo("ssh_key_missing");
    assertThatThrownBy(
            () ->
                new BuildFailed(
                    SampleEvents.BUILD,
                    "base",
                    "v1",
                    BuildFailed.Stage.PROVISION,
                    "disk_on_fire",
                    "x",
                    List.of(),
                    SampleEvents.AT))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("disk_on_fire")
        .hasMessageContaining("action_failed");
  }

  @Test
  void anUnknownReasonOnTheWireIsAnInvalidEvent() {
    String json =
        EventCodec.toJson(sample(FailureClass.TIMEOUT))
            .replace("\"reasonClass\":\"timeout\"", "\"reasonClass\":\"disk_on_fire\"");
    assertThatThrownBy(() -> EventCodec.fromJson(json, BuildFailed.class))
        .isInstanceOf(InvalidEventException.class)
        .hasMessageContaining("reasonClass");
  }

  @Test
  void aMissingReasonIsAViolation() {
    String json = EventCodec.toJson(sample(FailureClass.TIMEOUT)).replace("\"timeout\"", "null");
    assertThatThrownBy(() -> EventCodec.fromJson(json, BuildFailed.class))
        .isInstanceOf(InvalidEventException.class)
        .hasMessageContaining("reasonClass");
  }

  private static BuildFailed sample(FailureClass reason) {
    return new BuildFailed(
        SampleEvents.BUILD,
        "base",
        "v1",
        BuildFailed.Stage.PROVISION,
        reason,
        "m",
        List.of(),
        SampleEvents.AT);
  }
}
