package dev.goldsmith.support.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;

import dev.goldsmith.events.BuildFailed;
import dev.goldsmith.events.FailureClass;
import dev.goldsmith.events.KafkaEvents;
import dev.goldsmith.support.messaging.ConsumerHealth;
import dev.goldsmith.support.messaging.DeadLetterHeaders;
import dev.goldsmith.testkit.KafkaTestSupport;

/**
 * The consumer policy on the real broker, through the real Kafka connector: poison is parked with
 * its reason and the channel goes on; a 10 s dependency outage is waited out in place, in order,
 * with nothing dead-lettered, the partition paused, readiness DOWN meanwhile, and no rebalance
 * although the outage is twice {@code max.poll.interval.ms}.
 */
@QuarkusTest
@QuarkusTestResource(value = IsolatedTopics.class, restrictToAnnotatedClass = true)
class ConsumerPolicyIT {
  private static final Duration OUTAGE = Duration.ofSeconds(10);

  @Inject FlakyDependency dependency;
  @Inject ConsumerHealth health;
  @Inject RebalanceCounter rebalances;
  @Inject KafkaClientService kafka;

  @TestHTTPResource("/q/health/ready")
  URL readiness;

  @Test
  void poisonIsParkedWithItsReasonAndTheNextRecordIsHandled() {
    UUID before = UUID.randomUUID();
    UUID poison = UUID.randomUUID();
    UUID after = UUID.randomUUID();
    send(before);
    ProducerRecord<String, String> bad = KafkaEvents.toRecord(event(poison), "/it");
    KafkaTestSupport.send(
        IsolatedTopics.in, poison.toString(), "{\"buildId\":\"" + poison + "\"}", headers(bad));
    send(after);

    await().atMost(Duration.ofSeconds(60)).until(() -> dependency.handled.contains(after));
    assertThat(dependency.handled).containsSubsequence(before, after).doesNotContain(poison);
    assertThat(dependency.attempts).doesNotContainKey(poison);

    List<ConsumerRecord<String, String>> parked =
        KafkaTestSupport.readUntil(
            IsolatedTopics.deadLetter,
            rs -> rs.stream().anyMatch(r -> poison.toString().equals(r.key())),
            Duration.ofSeconds(30));
    ConsumerRecord<String, String> dead =
        parked.stream().filter(r -> poison.toString().equals(r.key())).findFirst().orElseThrow();
    assertThat(header(dead, DeadLetterHeaders.REASON))
        .contains("stage")
        .contains("reasonClass")
        .contains("occurredAt");
    assertThat(header(dead, DeadLetterHeaders.REASON_SUMMARY))
        .startsWith("InvalidEventException: ");
    assertThat(header(dead, DeadLetterHeaders.TOPIC)).isEqualTo(IsolatedTopics.in);
    assertThat(header(dead, "ce_type")).isEqualTo("dev.goldsmith.build.failed.v1");
    assertThat(dead.value()).isEqualTo("{\"buildId\":\"" + poison + "\"}");
  }

  @Test
  void aTenSecondOutageIsWaitedOutInPlaceInOrderWithHealthDown() throws Exception {
    int assignedBefore = rebalances.assigned.get();
    int revokedBefore = rebalances.revoked.get();
    List<UUID> builds = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      builds.add(UUID.randomUUID());
    }
    Instant start = Instant.now();
    dependency.downUntil(start.plus(OUTAGE));
    builds.forEach(this::send);

    // during the outage: readiness DOWN (over HTTP, naming the dependency), the partition paused
    await().atMost(Duration.ofSeconds(30)).until(() -> !health.up());
    HttpResponse<String> down = getReadiness();
    assertThat(down.statusCode()).isEqualTo(503);
    assertThat(consumerCheck(down.body()).path("status").asText()).isEqualTo("DOWN");
    assertThat(consumerCheck(down.body()).path("data").toString()).contains("database failing for");
    List<Set<TopicPartition>> paused = new CopyOnWriteArrayList<>();
    await()
        .atMost(OUTAGE)
        .until(
            () -> {
              Set<TopicPartition> p =
                  kafka.getConsumer("it-in").paused().await().atMost(Duration.ofSeconds(5));
              paused.add(p);
              return p.contains(new TopicPartition(IsolatedTopics.in, 0));
            });
    assertThat(dependency.handled).doesNotContainAnyElementsOf(builds);

    // after it: every record once, in partition order, nothing parked, UP again
    await().atMost(Duration.ofSeconds(90)).until(() -> dependency.handled.containsAll(builds));
    assertThat(Duration.between(start, Instant.now())).isGreaterThanOrEqualTo(OUTAGE);
    List<UUID> seen = new ArrayList<>(dependency.handled);
    seen.retainAll(builds);
    assertThat(seen).containsExactlyElementsOf(builds);
    assertThat(dependency.attempts.get(builds.get(0)).get()).isGreaterThan(3);
    for (UUID b : builds.subList(1, builds.size())) {
      assertThat(dependency.attempts.get(b))
          .as("attempts of a record behind the stuck one")
          .hasValue(1);
    }
    assertThat(dependency.mdc.get(builds.get(0))).isEqualTo(builds.get(0).toString());
    await().atMost(Duration.ofSeconds(10)).until(health::up);
    assertThat(consumerCheck(getReadiness().body()).path("status").asText()).isEqualTo("UP");
    List<ConsumerRecord<String, String>> parked =
        KafkaTestSupport.readUntil(IsolatedTopics.deadLetter, rs -> false, Duration.ofSeconds(3));
    assertThat(parked.stream().map(ConsumerRecord::key))
        .doesNotContainAnyElementsOf(builds.stream().map(UUID::toString).toList());
    assertThat(rebalances.revoked.get()).as("revocations").isEqualTo(revokedBefore);
    assertThat(rebalances.assigned.get()).as("assignments").isEqualTo(assignedBefore);
  }

  /** The event-consumers check of a health report (the others, e.g. hetzner-api, vary). */
  private static com.fasterxml.jackson.databind.JsonNode consumerCheck(String body)
      throws java.io.IOException {
    for (com.fasterxml.jackson.databind.JsonNode check :
        dev.goldsmith.events.EventCodec.mapper().readTree(body).path("checks")) {
      if (ConsumerHealth.NAME.equals(check.path("name").asText())) {
        return check;
      }
    }
    throw new AssertionError("no " + ConsumerHealth.NAME + " check in " + body);
  }

  private HttpResponse<String> getReadiness() throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create(readiness.toString())).GET().build(),
            HttpResponse.BodyHandlers.ofString());
  }

  private void send(UUID build) {
    ProducerRecord<String, String> r = KafkaEvents.toRecord(event(build), "/it");
    KafkaTestSupport.send(IsolatedTopics.in, r.key(), r.value(), headers(r));
  }

  private static BuildFailed event(UUID build) {
    return new BuildFailed(
        build,
        "base",
        "v1",
        BuildFailed.Stage.PROVISION,
        FailureClass.TIMEOUT,
        "m",
        List.of(),
        Instant.now());
  }

  private static Map<String, String> headers(ProducerRecord<String, String> r) {
    Map<String, String> h = new HashMap<>();
    for (Header header : r.headers()) {
      h.put(header.key(), new String(header.value(), StandardCharsets.UTF_8));
    }
    return h;
  }

  private static String header(ConsumerRecord<String, String> r, String key) {
    Header h = r.headers().lastHeader(key);
    return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }
}
