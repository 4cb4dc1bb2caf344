package dev.goldsmith.emulator.backend;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

class ServerFaultRuleTest {
  private static final Set<ServerFaultKind> VIRTUAL =
      EnumSet.of(ServerFaultKind.IGNORE_SHUTDOWN, ServerFaultKind.FAIL);
  private static final Set<ServerFaultKind> HOSTS =
      EnumSet.of(
          ServerFaultKind.IPV4_DROP,
          ServerFaultKind.IPV6_DROP,
          ServerFaultKind.SSHD_STOPPED,
          ServerFaultKind.SLOW_BOOT);

  private static InvalidRuleException invalid(Map<String, Object> spec, Set<ServerFaultKind> k) {
    try {
      ServerFaultRule.parse(spec, k, "test");
    } catch (InvalidRuleException e) {
      return e;
    }
    throw new AssertionError("rule was accepted: " + spec);
  }

  @Test
  void aFailRuleReadsItsOperationMessageAndTargets() {
    ServerFaultRule r =
        ServerFaultRule.parse(
            Map.of(
                "kind", "fail",
                "operation", "power_on",
                "message", "no power",
                "server_name", "weak",
                "label_selector", "env=prod"),
            VIRTUAL,
            "virtual");
    assertThat(r.kind()).isEqualTo(ServerFaultKind.FAIL);
    assertThat(r.operation()).isEqualTo(BackendOperation.POWER_ON);
    assertThat(r.aimsAt(1, "weak", Map.of("env", "prod"))).isTrue();
    assertThat(r.aimsAt(1, "weak", Map.of("env", "dev"))).isFalse();
    assertThat(r.aimsAt(1, "strong", Map.of("env", "prod"))).isFalse();
  }

  @Test
  void aRuleWithoutTargetsAimsAtEveryServer() {
    ServerFaultRule r = ServerFaultRule.parse(Map.of("kind", "ignore_shutdown"), VIRTUAL, "v");
    assertThat(r.aimsAt(7, "any", null)).isTrue();
  }

  @Test
  void typeIsAnOlderNameOfKind() {
    ServerFaultRule r =
        ServerFaultRule.parse(Map.of("type", "sshd_stopped", "server_id", 3), HOSTS, "hosts");
    assertThat(r.kind()).isEqualTo(ServerFaultKind.SSHD_STOPPED);
    assertThat(r.serverId()).isEqualTo(3L);
    assertThat(r.withId("f1").toMap())
        .containsExactly(
            Map.entry("id", "f1"), Map.entry("kind", "sshd_stopped"), Map.entry("server_id", 3L));
    assertThat(
            invalid(Map.of("kind", "ipv4_drop", "type", "ipv6_drop", "server_id", 1), HOSTS)
                .fields())
        .containsOnlyKeys("type");
  }

  @Test
  void aKindTheBackendLacksIsNamedWithTheKindsItHas() {
    InvalidRuleException e = invalid(Map.of("kind", "ipv4_drop", "server_id", 1), VIRTUAL);
    assertThat(e.fields().get("kind"))
        .containsExactly("the test backend has no kind ipv4_drop; it has [ignore_shutdown, fail]");
    assertThat(invalid(Map.of("kind", "meteor"), VIRTUAL).fields().get("kind").get(0))
        .startsWith("unknown kind meteor");
    assertThat(invalid(Map.of(), VIRTUAL).fields()).containsOnlyKeys("kind");
  }

  @Test
  void everyProblemIsReportedAtOnce() {
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("kind", "slow_boot");
    spec.put("seconds", 0);
    spec.put("server_name", "x");
    spec.put("label_selector", "a in (b");
    spec.put("colour", "red");
    InvalidRuleException e = invalid(spec, HOSTS);
    assertThat(e.fields()).containsOnlyKeys("colour", "seconds", "server_name", "label_selector");
    assertThat(e.fields().get("seconds"))
        .containsExactly("seconds must be an integer within 1..3600, got 0");
    assertThat(e.getMessage())
        .startsWith("invalid server fault rule: ")
        .contains("colour: unknown field");
  }

  @Test
  void hostKindsNeedExactlyOneOfServerIdOrSelector() {
    assertThat(invalid(Map.of("kind", "ipv4_drop"), HOSTS).fields().get("server_id"))
        .containsExactly("ipv4_drop needs exactly one of server_id or label_selector");
    assertThat(
            invalid(Map.of("kind", "ipv4_drop", "server_id", 1, "label_selector", "a"), HOSTS)
                .fields())
        .containsOnlyKeys("server_id");
    assertThat(invalid(Map.of("kind", "ipv4_drop", "server_id", "x1"), HOSTS).fields())
        .containsKey("server_id");
  }

  @Test
  void fieldsBelongToTheirKind() {
    assertThat(invalid(Map.of("kind", "fail"), VIRTUAL).fields().get("operation").get(0))
        .startsWith("fail needs an operation, one of [create, power_on");
    assertThat(invalid(Map.of("kind", "fail", "operation", "explode"), VIRTUAL).fields())
        .containsOnlyKeys("operation");
    assertThat(
            invalid(Map.of("kind", "ignore_shutdown", "operation", "reboot", "seconds", 3), VIRTUAL)
                .fields())
        .containsOnlyKeys("operation", "seconds");
  }

  @Test
  void slowBootWaitsThirtySecondsUnlessTold() {
    ServerFaultRule r =
        ServerFaultRule.parse(Map.of("kind", "slow_boot", "label_selector", "slow"), HOSTS, "h");
    assertThat(r.seconds()).isEqualTo(30);
    assertThat(r.selects(Map.of("slow", "yes"))).isTrue();
    assertThat(r.selects(Map.of())).isFalse();
  }

  @Test
  void theShownRuleParsesBackToTheSameRule() {
    ServerFaultRule r =
        ServerFaultRule.parse(
                Map.of("kind", "slow_boot", "label_selector", "a=b", "seconds", 8), HOSTS, "h")
            .withId("f9");
    assertThat(ServerFaultRule.parse(r.toMap(), HOSTS, "h")).isEqualTo(r);
    assertThat(List.copyOf(r.toMap().keySet()))
        .containsExactly("id", "kind", "label_selector", "seconds");
  }
}
