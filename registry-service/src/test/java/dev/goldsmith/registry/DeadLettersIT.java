package dev.goldsmith.registry;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

import dev.goldsmith.events.EventCodec;
import dev.goldsmith.events.Topics;
import dev.goldsmith.events.Verdict;
import dev.goldsmith.events.VerificationFinished;
import dev.goldsmith.registry.deadletter.DeadLetterRecord;
import dev.goldsmith.registry.deadletter.DeadLetterService;
import dev.goldsmith.testkit.KafkaTestSupport;

/**
 * The dead-letter tooling on the real broker and database: a poison record parked by the real
 * consumer is listed with its reason; a valid parked verdict replayed through the API moves its
 * build and is published once, however often and however concurrently it is replayed; a replay left
 * PENDING (a crash between the row and the publish) is sent by the next one; auth and bad input
 * answer problem+json.
 */
@QuarkusTest
class DeadLettersIT extends RegistryTestSupport {
  private static final String PROBLEM = "application/problem+json";
  private static final String ADMIN = "Bearer test-admin-token";
  private static final String READER = "Bearer test-reader-token";

  @Inject DeadLetterService service;
  @Inject EntityManager em;

  @BeforeEach
  void consumerReady() {
    awaitConsumerReady();
  }

  @Test
  void poisonIsParkedByTheConsumerAndListedWithItsReason() {
    Candidate c = candidate("reg-deadletter");
    VerificationFinished v = verdict(c, Verdict.PASSED);
    org.apache.kafka.common.header.Headers sent = headers(v);
    sendRaw(Topics.IMAGE_VERIFIED, c.buildId().toString(), "{not json", sent);

    JsonPath listed = awaitListed(c.buildId(), 1);
    assertThat(listed.getString("items[0].sourceTopic")).isEqualTo(Topics.IMAGE_VERIFIED);
    assertThat(listed.getObject("items[0].sourcePartition", Integer.class)).isNotNull();
    assertThat(listed.getObject("items[0].sourceOffset", Long.class)).isNotNull();
    assertThat(listed.getString("items[0].reasonClass")).isNotBlank();
    assertThat(listed.getString("items[0].reason")).isNotBlank();
    assertThat(listed.getString("items[0].reasonSummary"))
        .startsWith(listed.getString("items[0].reasonClass") + ":");
    assertThat(listed.getString("items[0].ceId")).isEqualTo(value(sent, "ce_id"));
    assertThat(listed.getString("items[0].parkedAt")).isNotNull();
    assertThat(listed.getBoolean("items[0].replayable")).isTrue();
    assertThat(listed.getBoolean("items[0].replayed")).isFalse();
    System.out.printf(
        "parked by the consumer: reasonClass=%s reason=%s summary=%s%n",
        listed.getString("items[0].reasonClass"),
        listed.getString("items[0].reason"),
        listed.getString("items[0].reasonSummary"));
    // Filters: by source topic (the record is among them), by another topic (it is not).
    int p = listed.getInt("items[0].partition");
    long o = listed.getLong("items[0].offset");
    given()
        .queryParam("topic", Topics.IMAGE_VERIFIED)
        .queryParam("buildId", c.buildId().toString())
        .get("/api/dead-letters")
        .then()
        .statusCode(200)
        .body("totalItems", equalTo(1));
    given()
        .queryParam("topic", Topics.SNAPSHOT_CREATED)
        .queryParam("buildId", c.buildId().toString())
        .get("/api/dead-letters")
        .then()
        .statusCode(200)
        .body("items", hasSize(0));
    // One record, with its payload and original headers.
    given()
        .get("/api/dead-letters/" + p + "/" + o)
        .then()
        .statusCode(200)
        .body("payload", equalTo("{not json"))
        .body("headers.ce_subject", equalTo(c.buildId().toString()))
        .body("headers.'dead-letter-topic'", equalTo(Topics.IMAGE_VERIFIED));
    assertThat(status(c.buildId())).isNotEqualTo("PROMOTED");
  }

  @Test
  void aValidParkedVerdictReplayedMovesItsBuildAndIsPublishedOnce() {
    Candidate c = candidate("reg-deadletter");
    VerificationFinished v = verdict(c, Verdict.PASSED);
    String ceId = park(v, Topics.IMAGE_VERIFIED);
    JsonPath listed = awaitListed(c.buildId(), 1);
    int p = listed.getInt("items[0].partition");
    long o = listed.getLong("items[0].offset");
    assertThat(listed.getString("items[0].ceId")).isEqualTo(ceId);
    assertThat(listed.getString("items[0].reasonClass")).isEqualTo("PoisonException");
    assertThat(listed.getString("items[0].reason")).isEqualTo("the database said no");
    assertThat(status(c.buildId())).as("parked, so nothing happened").isNotEqualTo("PROMOTED");

    given()
        .header("Authorization", ADMIN)
        .post("/api/dead-letters/" + p + "/" + o + "/replay")
        .then()
        .statusCode(200)
        .body("outcome", equalTo("REPLAYED"))
        .body("sourceTopic", equalTo(Topics.IMAGE_VERIFIED))
        .body("buildId", equalTo(c.buildId().toString()))
        .body("replay.state", equalTo("DONE"))
        .body("replay.replayedBy", equalTo("ops-alice"));
    await()
        .alias("the replayed verdict promotes the build")
        .atMost(Duration.ofSeconds(60))
        .until(() -> status(c.buildId()).equals("PROMOTED"));
    List<ConsumerRecord<String, String>> sent = awaitRecords(Topics.IMAGE_VERIFIED, c.buildId(), 1);
    assertThat(sent.get(0).value()).isEqualTo(EventCodec.toJson(v));
    assertThat(header(sent.get(0), "ce_id")).isEqualTo(ceId);
    assertThat(header(sent.get(0), DeadLetterRecord.REPLAY_OF))
        .isEqualTo(Topics.DEAD_LETTER + "-" + p + "@" + o);
    assertThat(header(sent.get(0), "dead-letter-reason")).isNull();

    // Again, one by one and all at once: nothing more is sent.
    given()
        .header("Authorization", ADMIN)
        .post("/api/dead-letters/" + p + "/" + o + "/replay")
        .then()
        .statusCode(200)
        .body("outcome", equalTo("ALREADY_REPLAYED"))
        .body("replay.publishedAt", notNullValue());
    given()
        .header("Authorization", ADMIN)
        .queryParam("buildId", c.buildId().toString())
        .post("/api/dead-letters/replay")
        .then()
        .statusCode(200)
        .body("replayed", equalTo(0))
        .body("alreadyReplayed", equalTo(1))
        .body("items[0].outcome", equalTo("ALREADY_REPLAYED"));
    assertThat(recordsOf(Topics.IMAGE_VERIFIED, c.buildId())).hasSize(1);
    given()
        .queryParam("buildId", c.buildId().toString())
        .get("/api/dead-letters")
        .then()
        .statusCode(200)
        .body("items[0].replayed", equalTo(true))
        .body("items[0].replay.state", equalTo("DONE"))
        .body("items[0].replay.replayedBy", equalTo("ops-alice"))
        .body("items[0].replay.replayedAt", notNullValue())
        .body("items[0].replay.publishedAt", notNullValue());
  }

  @Test
  void replayAllSendsEachRecordOfItsFilterOnce() {
    Candidate c = candidate("reg-deadletter");
    VerificationFinished v = verdict(c, Verdict.CHANNEL_FAILURE);
    park(v, Topics.IMAGE_VERIFIED);
    awaitListed(c.buildId(), 1);
    given()
        .header("Authorization", ADMIN)
        .queryParam("buildId", c.buildId().toString())
        .post("/api/dead-letters/replay")
        .then()
        .statusCode(200)
        .body("replayed", equalTo(1))
        .body("alreadyReplayed", equalTo(0))
        .body("items", hasSize(1));
    await().atMost(Duration.ofSeconds(60)).until(() -> status(c.buildId()).equals("UNVERIFIED"));
    given()
        .header("Authorization", ADMIN)
        .queryParam("buildId", c.buildId().toString())
        .post("/api/dead-letters/replay")
        .then()
        .statusCode(200)
        .body("replayed", equalTo(0))
        .body("alreadyReplayed", equalTo(1));
    assertThat(recordsOf(Topics.IMAGE_VERIFIED, c.buildId())).hasSize(1);
  }

  @Test
  void concurrentReplaysPublishOnce() throws Exception {
    Candidate c = candidate("reg-deadletter");
    park(verdict(c, Verdict.CHANNEL_FAILURE), Topics.IMAGE_VERIFIED);
    JsonPath listed = awaitListed(c.buildId(), 1);
    DeadLetterRecord record =
        service
            .record(listed.getInt("items[0].partition"), listed.getLong("items[0].offset"))
            .orElseThrow();

    int callers = 4;
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(callers);
    List<Future<DeadLetterService.Outcome>> results = new ArrayList<>();
    try {
      for (int i = 0; i < callers; i++) {
        String actor = "ops-" + i;
        results.add(
            pool.submit(
                () -> {
                  start.await();
                  return service.replay(record, actor).outcome();
                }));
      }
      start.countDown();
      List<DeadLetterService.Outcome> outcomes = new ArrayList<>();
      for (Future<DeadLetterService.Outcome> f : results) {
        outcomes.add(f.get());
      }
      assertThat(outcomes)
          .filteredOn(o -> o == DeadLetterService.Outcome.REPLAYED)
          .as("outcomes %s", outcomes)
          .hasSize(1);
    } finally {
      pool.shutdownNow();
    }
    awaitRecords(Topics.IMAGE_VERIFIED, c.buildId(), 1);
    assertThat(recordsOf(Topics.IMAGE_VERIFIED, c.buildId())).hasSize(1);
  }

  @Test
  void aPendingReplayIsSentByTheNextReplay() {
    Candidate c = candidate("reg-deadletter");
    park(verdict(c, Verdict.PASSED), Topics.IMAGE_VERIFIED);
    JsonPath listed = awaitListed(c.buildId(), 1);
    int p = listed.getInt("items[0].partition");
    long o = listed.getLong("items[0].offset");
    // What a crash between recording the replay and publishing it leaves behind.
    QuarkusTransaction.requiringNew()
        .run(
            () ->
                em.createNativeQuery(
                        "insert into dead_letter_replay (dl_partition, dl_offset, original_topic,"
                            + " replayed_by, replayed_at, state) values (?1, ?2, ?3, 'ops-crashed',"
                            + " ?4, 'PENDING')")
                    .setParameter(1, p)
                    .setParameter(2, o)
                    .setParameter(3, Topics.IMAGE_VERIFIED)
                    .setParameter(4, Instant.now())
                    .executeUpdate());
    given()
        .get("/api/dead-letters/" + p + "/" + o)
        .then()
        .statusCode(200)
        .body("replayed", equalTo(false))
        .body("replay.state", equalTo("PENDING"))
        .body("replay.publishedAt", nullValue());
    assertThat(recordsOf(Topics.IMAGE_VERIFIED, c.buildId())).isEmpty();

    given()
        .header("Authorization", ADMIN)
        .post("/api/dead-letters/" + p + "/" + o + "/replay")
        .then()
        .statusCode(200)
        .body("outcome", equalTo("REPLAYED"))
        .body("replay.state", equalTo("DONE"));
    await().atMost(Duration.ofSeconds(60)).until(() -> status(c.buildId()).equals("PROMOTED"));
    assertThat(recordsOf(Topics.IMAGE_VERIFIED, c.buildId())).hasSize(1);
  }

  @Test
  void replaysNeedAWriteTokenAndBadInputIsAProblem() {
    UUID build = UUID.randomUUID();
    // A record that names no topic to go back to.
    Map<String, String> h = new LinkedHashMap<>();
    h.put("ce_subject", build.toString());
    h.put("dead-letter-reason", "no source");
    KafkaTestSupport.send(Topics.DEAD_LETTER, build.toString(), "{}", h);
    JsonPath listed = awaitListed(build, 1);
    String replay =
        "/api/dead-letters/"
            + listed.getInt("items[0].partition")
            + "/"
            + listed.getLong("items[0].offset")
            + "/replay";
    assertThat(listed.getBoolean("items[0].replayable")).isFalse();

    given().post(replay).then().statusCode(401).contentType(PROBLEM);
    given()
        .header("Authorization", "Bearer nope")
        .post(replay)
        .then()
        .statusCode(401)
        .contentType(PROBLEM);
    given()
        .header("Authorization", READER)
        .post(replay)
        .then()
        .statusCode(403)
        .contentType(PROBLEM);
    given()
        .header("Authorization", READER)
        .post("/api/dead-letters/replay")
        .then()
        .statusCode(403)
        .contentType(PROBLEM);
    given()
        .header("Authorization", ADMIN)
        .post(replay)
        .then()
        .statusCode(409)
        .contentType(PROBLEM)
        .body("type", equalTo("https://goldsmith.dev/problems/not-replayable"))
        .body("detail", startsWith("the record has no dead-letter-topic header"));

    for (String bad :
        List.of("abc/1", "0/x", "-1/0", "0/-5", "99999999999/0", "0/99999999999999999999")) {
      given()
          .get("/api/dead-letters/" + bad)
          .then()
          .statusCode(400)
          .contentType(PROBLEM)
          .body("errors", notNullValue());
      given()
          .header("Authorization", ADMIN)
          .post("/api/dead-letters/" + bad + "/replay")
          .then()
          .statusCode(400)
          .contentType(PROBLEM);
    }
    given().get("/api/dead-letters/0/999999999999").then().statusCode(404).contentType(PROBLEM);
    given().get("/api/dead-letters/9999/0").then().statusCode(404).contentType(PROBLEM);
    given()
        .header("Authorization", ADMIN)
        .post("/api/dead-letters/0/999999999999/replay")
        .then()
        .statusCode(404)
        .contentType(PROBLEM);
    given()
        .queryParam("buildId", "not-a-uuid")
        .get("/api/dead-letters")
        .then()
        .statusCode(400)
        .contentType(PROBLEM);
    given()
        .queryParam("topic", "bad topic!")
        .queryParam("size", "0")
        .get("/api/dead-letters")
        .then()
        .statusCode(400)
        .contentType(PROBLEM)
        .body("errors", hasSize(2));
    given()
        .header("Authorization", ADMIN)
        .queryParam("buildId", "nope")
        .post("/api/dead-letters/replay")
        .then()
        .statusCode(400)
        .contentType(PROBLEM);
  }

  /** Puts a record on the dead-letter topic with the headers the consumer policy writes. */
  private static String park(VerificationFinished event, String sourceTopic) {
    Map<String, String> h = new LinkedHashMap<>();
    org.apache.kafka.common.header.Headers original = headers(event);
    for (Header header : original) {
      h.put(header.key(), new String(header.value(), StandardCharsets.UTF_8));
    }
    h.put("dead-letter-reason", "the database said no");
    h.put("dead-letter-exception-class-name", "dev.goldsmith.support.messaging.PoisonException");
    h.put("dead-letter-topic", sourceTopic);
    h.put("dead-letter-partition", "0");
    h.put("dead-letter-offset", "7");
    h.put("goldsmith-dead-letter-reason", "PoisonException: the database said no");
    KafkaTestSupport.send(
        Topics.DEAD_LETTER, event.buildId().toString(), EventCodec.toJson(event), h);
    return value(original, "ce_id");
  }

  private static JsonPath awaitListed(UUID buildId, int count) {
    JsonPath[] last = new JsonPath[1];
    await()
        .alias("dead-letter records of build " + buildId)
        .atMost(Duration.ofSeconds(60))
        .until(
            () -> {
              last[0] =
                  given()
                      .queryParam("buildId", buildId.toString())
                      .get("/api/dead-letters")
                      .then()
                      .statusCode(200)
                      .extract()
                      .jsonPath();
              return last[0].getInt("totalItems") >= count;
            });
    assertThat(last[0].getInt("totalItems")).isEqualTo(count);
    return last[0];
  }

  /** The build's records of a topic, read until a second one would have arrived. */
  private static List<ConsumerRecord<String, String>> recordsOf(String topic, UUID buildId) {
    String key = buildId.toString();
    return KafkaTestSupport.readUntil(
            topic,
            rs -> rs.stream().filter(r -> key.equals(r.key())).count() >= 2,
            Duration.ofSeconds(5))
        .stream()
        .filter(r -> key.equals(r.key()))
        .toList();
  }

  private static String header(ConsumerRecord<String, String> r, String key) {
    Header h = r.headers().lastHeader(key);
    return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }

  private static String value(org.apache.kafka.common.header.Headers headers, String key) {
    Header h = headers.lastHeader(key);
    return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }
}
