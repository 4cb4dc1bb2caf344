package dev.goldsmith.registry.api;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;

import org.apache.kafka.common.header.Header;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.smallrye.common.annotation.Blocking;

import dev.goldsmith.registry.deadletter.DeadLetterRecord;
import dev.goldsmith.registry.deadletter.DeadLetterService;
import dev.goldsmith.registry.deadletter.DeadLetterTopic.BrokerUnavailable;
import dev.goldsmith.registry.domain.DeadLetterReplay;

/**
 * Records parked on the dead-letter topic, with why they were parked and whether they were
 * replayed; replays of one record or of all (a record is published at most once, however often and
 * from however many instances it is replayed).
 */
@Path("/api/dead-letters")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "operations")
@Blocking
public class DeadLettersResource {
  private final DeadLetterService service;

  public DeadLettersResource(DeadLetterService service) {
    this.service = service;
  }

  /** A replay of a record as the database has it. */
  @JsonInclude(JsonInclude.Include.ALWAYS)
  public record ReplayView(
      String state, String replayedBy, Instant replayedAt, Instant publishedAt) {
    static ReplayView of(DeadLetterReplay r) {
      return r == null ? null : new ReplayView(r.state, r.replayedBy, r.replayedAt, r.publishedAt);
    }
  }

  /**
   * A dead-letter record.
   *
   * @param replay null while never replayed; state PENDING while asked for but not acknowledged by
   *     the broker (the next replay sends it), DONE once published
   * @param payload and headers: only in the answer for one record
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record DeadLetterView(
      int partition,
      long offset,
      String sourceTopic,
      Integer sourcePartition,
      Long sourceOffset,
      String reasonClass,
      String exceptionClass,
      String reason,
      String reasonSummary,
      String cause,
      UUID buildId,
      String key,
      String ceId,
      String ceType,
      Instant parkedAt,
      int payloadBytes,
      boolean replayable,
      String notReplayableBecause,
      boolean replayed,
      ReplayView replay,
      String payload,
      Map<String, String> headers) {
    static DeadLetterView of(DeadLetterRecord r, DeadLetterReplay replay, boolean full) {
      Map<String, String> headers = null;
      if (full && r.headers() != null) {
        headers = new LinkedHashMap<>();
        for (Header h : r.headers()) {
          headers.put(
              h.key(), h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8));
        }
      }
      return new DeadLetterView(
          r.partition(),
          r.offset(),
          r.sourceTopic(),
          r.sourcePartition(),
          r.sourceOffset(),
          r.reasonClass(),
          r.exceptionClass(),
          r.reason(),
          r.reasonSummary(),
          r.cause(),
          r.buildId(),
          r.key(),
          r.ceId(),
          r.ceType(),
          r.parkedAt(),
          r.value() == null ? 0 : r.value().getBytes(StandardCharsets.UTF_8).length,
          r.notReplayableBecause().isEmpty(),
          r.notReplayableBecause().orElse(null),
          replay != null && replay.done(),
          ReplayView.of(replay),
          full ? r.value() : null,
          headers);
    }
  }

  /**
   * What a replay did.
   *
   * @param outcome REPLAYED (published now) or ALREADY_REPLAYED (published before; nothing sent)
   */
  public record ReplayResult(
      int partition,
      long offset,
      String sourceTopic,
      UUID buildId,
      String outcome,
      ReplayView replay) {
    static ReplayResult of(DeadLetterService.Result r) {
      return new ReplayResult(
          r.record().partition(),
          r.record().offset(),
          r.record().sourceTopic(),
          r.record().buildId(),
          r.outcome().name(),
          ReplayView.of(r.replay()));
    }
  }

  /** A record a replay of all left alone, and why. */
  public record Skipped(int partition, long offset, String reason) {}

  /** What a replay of all did: counts, then each record. */
  public record ReplayAllResult(
      int replayed, int alreadyReplayed, List<ReplayResult> items, List<Skipped> notReplayable) {}

  @GET
  @Operation(
      summary =
          "Records on the dead-letter topic (newest first), each with its source topic, partition"
              + " and offset, the reason it was parked, its build and whether it was replayed")
  @APIResponse(responseCode = "200", description = "one page of records")
  @APIResponse(responseCode = "400", description = "invalid filter or page")
  @APIResponse(responseCode = "503", description = "the broker did not answer in time")
  public Views.PageView<DeadLetterView> list(
      @QueryParam("topic") String topic,
      @QueryParam("buildId") String buildId,
      @QueryParam("page") Integer page,
      @QueryParam("size") Integer size) {
    Params p = new Params();
    List<Problem.FieldProblem> errors = new ArrayList<>();
    String t = topic(errors, topic);
    UUID build = buildId == null ? null : p.uuid("buildId", buildId);
    int pg = p.page(page);
    int sz = p.size(size);
    checkAll(p, errors);
    List<DeadLetterRecord> all = matching(t, build);
    Map<DeadLetterReplay.Key, DeadLetterReplay> replays = service.replays();
    List<DeadLetterRecord> sorted =
        all.stream()
            .sorted(
                Comparator.comparing(
                        DeadLetterRecord::parkedAt,
                        Comparator.nullsLast(Comparator.<Instant>reverseOrder()))
                    .thenComparing(DeadLetterRecord::partition)
                    .thenComparing(DeadLetterRecord::offset, Comparator.reverseOrder()))
            .toList();
    long total = sorted.size();
    List<DeadLetterView> items =
        sorted.stream()
            .skip((long) pg * sz)
            .limit(sz)
            .map(r -> DeadLetterView.of(r, replays.get(key(r)), false))
            .toList();
    return new Views.PageView<>(items, pg, sz, total, (int) ((total + sz - 1) / sz));
  }

  @GET
  @Path("/{partition}/{offset}")
  @Operation(summary = "One dead-letter record with its payload and headers")
  @APIResponse(responseCode = "200", description = "the record")
  @APIResponse(responseCode = "400", description = "partition or offset not a number")
  @APIResponse(responseCode = "404", description = "no such record")
  @APIResponse(responseCode = "503", description = "the broker did not answer in time")
  public DeadLetterView get(
      @PathParam("partition") String partition, @PathParam("offset") String offset) {
    DeadLetterRecord r = find(partition, offset);
    return DeadLetterView.of(r, service.replay(r.partition(), r.offset()).orElse(null), true);
  }

  @POST
  @Path("/{partition}/{offset}/replay")
  @Operation(
      summary =
          "Sends a dead-letter record's original key, value and headers back to its source topic."
              + " Idempotent: a record replayed before answers 200 with outcome ALREADY_REPLAYED"
              + " and is not sent again")
  @APIResponse(responseCode = "200", description = "outcome REPLAYED or ALREADY_REPLAYED")
  @APIResponse(responseCode = "400", description = "partition or offset not a number")
  @APIResponse(responseCode = "401", description = "no or unknown token")
  @APIResponse(responseCode = "403", description = "read-only token")
  @APIResponse(responseCode = "404", description = "no such record")
  @APIResponse(
      responseCode = "409",
      description = "the record names no pipeline topic to go back to")
  @APIResponse(
      responseCode = "503",
      description = "the broker did not answer in time; a started replay stays PENDING, ask again")
  @SecurityRequirement(name = "bearer")
  public ReplayResult replay(
      @PathParam("partition") String partition,
      @PathParam("offset") String offset,
      @Context ContainerRequestContext request) {
    DeadLetterRecord r = find(partition, offset);
    r.notReplayableBecause()
        .ifPresent(
            why -> {
              throw new ApiException(409, "not-replayable", "Not replayable", why);
            });
    try {
      return ReplayResult.of(service.replay(r, actor(request)));
    } catch (BrokerUnavailable e) {
      throw unavailable(e);
    }
  }

  @POST
  @Path("/replay")
  @Operation(
      summary =
          "Replays every replayable dead-letter record not replayed yet, optionally only those of a"
              + " source topic or a build; records replayed before are not sent again")
  @APIResponse(responseCode = "200", description = "what was replayed and what was left alone")
  @APIResponse(responseCode = "400", description = "invalid filter")
  @APIResponse(responseCode = "401", description = "no or unknown token")
  @APIResponse(responseCode = "403", description = "read-only token")
  @APIResponse(
      responseCode = "503",
      description = "the broker failed; what was replayed stays so, the rest: ask again")
  @SecurityRequirement(name = "bearer")
  public ReplayAllResult replayAll(
      @QueryParam("topic") String topic,
      @QueryParam("buildId") String buildId,
      @Context ContainerRequestContext request) {
    Params p = new Params();
    List<Problem.FieldProblem> errors = new ArrayList<>();
    String t = topic(errors, topic);
    UUID build = buildId == null ? null : p.uuid("buildId", buildId);
    checkAll(p, errors);
    String actor = actor(request);
    List<DeadLetterRecord> records = matching(t, build);
    Map<DeadLetterReplay.Key, DeadLetterReplay> replays = service.replays();
    List<ReplayResult> items = new ArrayList<>();
    List<Skipped> skipped = new ArrayList<>();
    int replayed = 0;
    int already = 0;
    for (DeadLetterRecord r : records) {
      if (r.notReplayableBecause().isPresent()) {
        skipped.add(new Skipped(r.partition(), r.offset(), r.notReplayableBecause().get()));
        continue;
      }
      DeadLetterReplay known = replays.get(key(r));
      DeadLetterService.Result result;
      if (known != null && known.done()) {
        result = new DeadLetterService.Result(r, DeadLetterService.Outcome.ALREADY_REPLAYED, known);
      } else {
        try {
          result = service.replay(r, actor);
        } catch (BrokerUnavailable e) {
          throw new ApiException(
              503,
              "broker-unavailable",
              "Broker unavailable",
              replayed
                  + " record(s) replayed before the broker failed at "
                  + r.partition()
                  + "@"
                  + r.offset()
                  + "; replay again for the rest: "
                  + e.getMessage());
        }
      }
      if (result.outcome() == DeadLetterService.Outcome.REPLAYED) {
        replayed++;
      } else {
        already++;
      }
      items.add(ReplayResult.of(result));
    }
    return new ReplayAllResult(replayed, already, items, skipped);
  }

  private List<DeadLetterRecord> matching(String topic, UUID build) {
    try {
      return service.records().stream()
          .filter(r -> topic == null || topic.equals(r.sourceTopic()))
          .filter(r -> build == null || build.equals(r.buildId()))
          .toList();
    } catch (BrokerUnavailable e) {
      throw unavailable(e);
    }
  }

  private DeadLetterRecord find(String partition, String offset) {
    List<Problem.FieldProblem> errors = new ArrayList<>();
    long pt = number(partition, "partition", Integer.MAX_VALUE, errors);
    long off = number(offset, "offset", Long.MAX_VALUE, errors);
    if (!errors.isEmpty()) {
      throw ApiException.badRequest(errors);
    }
    try {
      return service
          .record((int) pt, off)
          .orElseThrow(
              () ->
                  ApiException.notFound(
                      "no record at partition "
                          + pt
                          + ", offset "
                          + off
                          + " of the dead-letter topic"));
    } catch (BrokerUnavailable e) {
      throw unavailable(e);
    }
  }

  /** A path number from 0 to max, or -1 with the problem recorded. */
  private static long number(
      String value, String name, long max, List<Problem.FieldProblem> errors) {
    try {
      long v = Long.parseLong(value);
      if (v >= 0 && v <= max) {
        return v;
      }
    } catch (NumberFormatException e) {
      // below
    }
    errors.add(new Problem.FieldProblem(name, "must be a whole number from 0 to " + max));
    return -1;
  }

  private static String topic(List<Problem.FieldProblem> errors, String topic) {
    if (topic != null && !topic.matches("[A-Za-z0-9._-]{1,249}")) {
      errors.add(new Problem.FieldProblem("topic", "must be a Kafka topic name"));
      return null;
    }
    return topic;
  }

  /** Throws one 400 with the filter's and the parameters' problems together. */
  private static void checkAll(Params p, List<Problem.FieldProblem> errors) {
    try {
      p.check();
    } catch (ApiException e) {
      List<Problem.FieldProblem> all = new ArrayList<>(errors);
      all.addAll(e.problem(null).errors());
      throw ApiException.badRequest(all);
    }
    if (!errors.isEmpty()) {
      throw ApiException.badRequest(errors);
    }
  }

  private static DeadLetterReplay.Key key(DeadLetterRecord r) {
    return new DeadLetterReplay.Key(r.partition(), r.offset());
  }

  private static ApiException unavailable(BrokerUnavailable e) {
    return new ApiException(503, "broker-unavailable", "Broker unavailable", e.getMessage());
  }

  private static String actor(ContainerRequestContext request) {
    Object a = request.getProperty(ApiAuthFilter.ACTOR);
    return a == null ? "unknown" : a.toString();
  }
}
