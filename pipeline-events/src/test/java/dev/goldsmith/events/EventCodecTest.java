package dev.goldsmith.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class EventCodecTest {

  static List<PipelineEvent> events() {
    return SampleEvents.all();
  }

  @Test
  void everyEventTypeHasASample() {
    assertThat(events().stream().map(PipelineEvent::type))
        .containsExactlyInAnyOrder(EventType.values());
  }

  @ParameterizedTest
  @MethodSource("events")
  void everyEventSurvivesAJsonRoundTrip(PipelineEvent event) {
    String json = EventCodec.toJson(event);
    assertThat(EventCodec.fromJson(json, event.getClass())).isEqualTo(event);
  }

  @Test
  void enumsAndTimesHaveTheirWireForm() {
    String json = EventCodec.toJson(SampleEvents.all().get(8));
    assertThat(json)
        .contains("\"stage\":\"snapshot\"")
        .contains("\"kind\":\"server\"")
        .contains("\"occurredAt\":\"2026-11-25T10:15:30Z\"");
    assertThat(EventCodec.toJson(SampleEvents.all().get(0))).contains("\"networkMode\":\"ipv6\"");
  }

  @Test
  void invalidEventListsEveryError() {
    String json =
        "{\"buildId\":null,\"family\":\"Vault_Base\",\"requestedBy\":\"\","
            + "\"overrides\":{\"version\":\"-bad-\"},\"occurredAt\":\"2026-11-25T10:15:30Z\"}";
    assertThatThrownBy(() -> EventCodec.fromJson(json, BuildRequested.class))
        .isInstanceOfSatisfying(
            InvalidEventException.class,
            e ->
                assertThat(e.errors())
                    .hasSize(4)
                    .anyMatch(m -> m.startsWith("buildId:"))
                    .anyMatch(m -> m.startsWith("family:"))
                    .anyMatch(m -> m.startsWith("requestedBy:"))
                    .anyMatch(m -> m.startsWith("overrides.version:")));
  }

  @Test
  void nestedSpecViolationsCarryTheirPath() {
    BuildSpec spec = SampleEvents.spec();
    BuildSpec broken =
        new BuildSpec(
            spec.family(),
            "",
            spec.baseImage(),
            spec.serverType(),
            spec.location(),
            spec.playbook(),
            spec.extraVars(),
            new VerificationMatrix(List.of(), spec.verification().image()),
            spec.networkMode(),
            0);
    assertThat(EventCodec.violations(new BuildAccepted(UUID.randomUUID(), broken, SampleEvents.AT)))
        .anyMatch(m -> m.startsWith("spec.version:"))
        .anyMatch(m -> m.startsWith("spec.verification.users:"));
  }

  @Test
  void unknownFieldsAndMalformedJsonAreRefusedWithAReason() {
    assertThatThrownBy(
            () ->
                EventCodec.fromJson(
                    "{\"buildId\":\"5f0c8c4e-2a57-4c1e-9a43-0d7b1a3e9c11\",\"colour\":1}",
                    BuildRequested.class))
        .isInstanceOf(InvalidEventException.class)
        .hasMessageContaining("unknown field 'colour'");
    assertThatThrownBy(() -> EventCodec.fromJson("{\"buildId\":", BuildRequested.class))
        .isInstanceOf(InvalidEventException.class)
        .hasMessageContaining("malformed JSON");
    assertThatThrownBy(
            () -> EventCodec.fromJson("{\"buildId\":\"not-a-uuid\"}", BuildRequested.class))
        .isInstanceOf(InvalidEventException.class)
        .hasMessageContaining("buildId");
    assertThatThrownBy(() -> EventCodec.fromJson("  ", BuildRequested.class))
        .hasMessageContaining("payload is empty");
  }

  @Test
  void writingAnInvalidEventIsRefused() {
    BuildRequested bad =
        new BuildRequested(UUID.randomUUID(), "vault-base", null, " ", SampleEvents.AT);
    assertThatThrownBy(() -> EventCodec.toJson(bad))
        .isInstanceOf(InvalidEventException.class)
        .hasMessageContaining("requestedBy");
  }

  @Test
  void builderReadyWithoutAHostKeyIsInvalid() {
    BuilderReady sample = (BuilderReady) SampleEvents.all().get(3);
    String json =
        EventCodec.toJson(sample).replace("\"hostKey\":\"" + sample.hostKey() + "\",", "");
    assertThat(json).doesNotContain("hostKey");
    assertThatThrownBy(() -> EventCodec.fromJson(json, BuilderReady.class))
        .isInstanceOfSatisfying(
            InvalidEventException.class,
            e -> assertThat(e.errors()).anyMatch(m -> m.startsWith("hostKey:")));
  }

  @Test
  void builderReadyHostKeyIsOnlyTypeAndBlob() {
    BuilderReady sample = (BuilderReady) SampleEvents.all().get(3);
    for (String bad :
        List.of(
            sample.hostKey() + " comment",
            sample.hostKey() + "\n203.0.113.9 " + sample.hostKey(),
            "@cert-authority * " + sample.hostKey(),
            "ssh-ed25519",
            "ssh-foo AAAAC3NzaC1lZDI1NTE5AAAAIDbjAa9kqxzfxropLPkF")) {
      BuilderReady broken =
          new BuilderReady(
              sample.buildId(),
              sample.spec(),
              sample.serverId(),
              sample.ipv4(),
              sample.ipv6(),
              bad,
              sample.occurredAt());
      assertThat(EventCodec.violations(broken)).as(bad).anyMatch(m -> m.startsWith("hostKey:"));
    }
  }
}
