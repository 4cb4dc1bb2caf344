package dev.goldsmith.registry.deadletter;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;

import org.hibernate.query.NativeQuery;

import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;

import dev.goldsmith.registry.config.RegistryConfig;
import dev.goldsmith.registry.domain.DeadLetterReplay;

/**
 * Lists the dead-letter topic with what the database knows about replays, and replays records.
 *
 * <p>A replay is idempotent, across instances too, with the primary key of {@code
 * dead_letter_replay} (dead-letter partition and offset) as the guard:
 *
 * <ol>
 *   <li>a row is inserted in state PENDING ({@code on conflict do nothing}) and committed, so the
 *       intent survives whatever follows;
 *   <li>in a second transaction the row is locked ({@code select … for update}); a caller who finds
 *       it DONE answers "already replayed", else it publishes the original record, waits for the
 *       broker's acknowledgement, marks the row DONE and commits. A second replay (this instance or
 *       another) waits on the lock and then finds DONE: one publish.
 * </ol>
 *
 * A crash or a broker failure before the commit of step 2 leaves the row PENDING (the lock goes
 * with the connection): the next replay of the record publishes it. Only a crash between the
 * broker's acknowledgement and that commit publishes twice, which every consumer of the pipeline
 * handles (their handling is idempotent by event id and build); nothing is ever lost.
 */
@ApplicationScoped
public class DeadLetterService {
  private final EntityManager em;
  private final Clock clock;
  private final DeadLetterTopic topic;

  /** What a replay did. */
  public enum Outcome {
    /** Published now. */
    REPLAYED,
    /** Published before (by this or another instance); nothing sent. */
    ALREADY_REPLAYED
  }

  /** A replay's result with the row as it stands after it. */
  public record Result(DeadLetterRecord record, Outcome outcome, DeadLetterReplay replay) {}

  public DeadLetterService(EntityManager em, Clock clock, RegistryConfig config) {
    this.em = em;
    this.clock = clock;
    RegistryConfig.DeadLetters c = config.deadLetters();
    this.topic = new DeadLetterTopic(c.bootstrapServers(), c.topic(), c.timeout());
  }

  @PreDestroy
  void close() {
    topic.close();
  }

  /** Every record of the topic, in partition and offset order. */
  public List<DeadLetterRecord> records() {
    return topic.readAll();
  }

  /** One record, if it exists. */
  public Optional<DeadLetterRecord> record(int partition, long offset) {
    return topic.read(partition, offset);
  }

  /** The replay rows of records, by partition and offset. */
  public Map<DeadLetterReplay.Key, DeadLetterReplay> replays() {
    return QuarkusTransaction.requiringNew()
        .call(
            () ->
                em
                    .createQuery("select r from DeadLetterReplay r", DeadLetterReplay.class)
                    .getResultList()
                    .stream()
                    .collect(
                        Collectors.toMap(
                            r -> new DeadLetterReplay.Key(r.dlPartition, r.dlOffset),
                            Function.identity())));
  }

  /** The replay row of one record, if any. */
  public Optional<DeadLetterReplay> replay(int partition, long offset) {
    return QuarkusTransaction.requiringNew()
        .call(
            () ->
                Optional.ofNullable(
                    em.find(DeadLetterReplay.class, new DeadLetterReplay.Key(partition, offset))));
  }

  /**
   * Replays a record (see the class comment). The record must be replayable ({@link
   * DeadLetterRecord#notReplayableBecause()}).
   *
   * @throws DeadLetterTopic.BrokerUnavailable when the publish failed; the row stays PENDING and
   *     the next replay sends it
   */
  public Result replay(DeadLetterRecord record, String actor) {
    if (record.notReplayableBecause().isPresent()) {
      throw new IllegalArgumentException(record.notReplayableBecause().get());
    }
    DeadLetterReplay.Key key = new DeadLetterReplay.Key(record.partition(), record.offset());
    QuarkusTransaction.requiringNew()
        .run(
            () ->
                em.createNativeQuery(
                        "insert into dead_letter_replay (dl_partition, dl_offset, original_topic,"
                            + " ce_id, build_id, replayed_by, replayed_at, state) values (?1, ?2,"
                            + " ?3, ?4, ?5, ?6, ?7, 'PENDING') on conflict do nothing")
                    .unwrap(NativeQuery.class)
                    .setParameter(1, record.partition())
                    .setParameter(2, record.offset())
                    .setParameter(3, record.sourceTopic())
                    .setParameter(4, record.ceId(), String.class)
                    .setParameter(5, record.buildId(), UUID.class)
                    .setParameter(6, actor)
                    .setParameter(7, clock.instant())
                    .executeUpdate());
    return QuarkusTransaction.requiringNew()
        .call(
            () -> {
              DeadLetterReplay row =
                  em.find(DeadLetterReplay.class, key, LockModeType.PESSIMISTIC_WRITE);
              if (row.done()) {
                return new Result(record, Outcome.ALREADY_REPLAYED, row);
              }
              var sent = topic.republish(record);
              String askedBy = row.replayedBy;
              row.state = DeadLetterReplay.DONE;
              row.replayedBy = actor;
              row.publishedAt = clock.instant();
              Log.infof(
                  "dead-letter record %d@%d replayed to %s-%d@%d by %s (asked by %s)",
                  record.partition(),
                  record.offset(),
                  sent.topic(),
                  sent.partition(),
                  sent.offset(),
                  actor,
                  askedBy);
              return new Result(record, Outcome.REPLAYED, row);
            });
  }
}
