package dev.goldsmith.registry.intake;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.apache.kafka.common.header.Headers;

import com.fasterxml.jackson.databind.JsonNode;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;

import dev.goldsmith.events.BuildAccepted;
import dev.goldsmith.events.BuildOverrides;
import dev.goldsmith.events.BuildRejected;
import dev.goldsmith.events.BuildRequested;
import dev.goldsmith.events.BuildSpec;
import dev.goldsmith.events.CloudEventHeaders;
import dev.goldsmith.events.EventCodec;
import dev.goldsmith.events.EventType;
import dev.goldsmith.events.InvalidEventException;
import dev.goldsmith.events.KafkaEvents;
import dev.goldsmith.events.Patterns;
import dev.goldsmith.families.Family;
import dev.goldsmith.families.FamilyException;
import dev.goldsmith.families.FamilyResolver;
import dev.goldsmith.registry.cloud.RegistryCloud;
import dev.goldsmith.registry.config.RegistryConfig;
import dev.goldsmith.registry.domain.Build;
import dev.goldsmith.registry.domain.BuildRepository;
import dev.goldsmith.registry.domain.BuildStatus;
import dev.goldsmith.registry.domain.ImageVersion;
import dev.goldsmith.registry.domain.ImageVersionRepository;
import dev.goldsmith.registry.domain.Sql;
import dev.goldsmith.registry.domain.VersionStatus;
import dev.goldsmith.registry.installation.Installation;
import dev.goldsmith.registry.messaging.Outbox;
import dev.goldsmith.registry.messaging.OutboxPublisher;
import dev.goldsmith.registry.metrics.BuildOutcomes;

/**
 * Intake of BuildRequested: validation (family files, bounds, cloud) with every reason at once,
 * version allocation, and the stored answer that makes a repeated build id get the same reply.
 */
@ApplicationScoped
public class IntakeService {

  /** Metrics of builds that reach a terminal status. */
  @Inject BuildOutcomes outcomes;

  private static final DateTimeFormatter DAY =
      DateTimeFormatter.ofPattern("yyyyMMdd").withZone(ZoneOffset.UTC);

  private static final Pattern BUILD_ID_IN_TEXT =
      Pattern.compile("\"buildId\"\\s*:\\s*\"([0-9a-fA-F-]{36})\"");

  private final RegistryConfig config;
  private final FamilyCatalog families;
  private final RegistryCloud cloud;
  private final BaseImageCheck baseImages;
  private final BuildRepository builds;
  private final ImageVersionRepository versions;
  private final Outbox outbox;
  private final OutboxPublisher publisher;
  private final EntityManager em;
  private final MeterRegistry metrics;
  private final Installation installation;
  private final Clock clock;

  public IntakeService(
      RegistryConfig config,
      FamilyCatalog families,
      RegistryCloud cloud,
      BaseImageCheck baseImages,
      BuildRepository builds,
      ImageVersionRepository versions,
      Outbox outbox,
      OutboxPublisher publisher,
      EntityManager em,
      MeterRegistry metrics,
      Installation installation,
      Clock clock) {
    this.config = config;
    this.families = families;
    this.cloud = cloud;
    this.baseImages = baseImages;
    this.builds = builds;
    this.versions = versions;
    this.outbox = outbox;
    this.publisher = publisher;
    this.em = em;
    this.metrics = metrics;
    this.installation = installation;
    this.clock = clock;
  }

  /**
   * Handles one BuildRequested record as received. Never throws for a bad request: every problem
   * becomes a BuildRejected. Throws when a dependency (database, cloud) fails, so that the record
   * is retried in place.
   */
  public IntakeResult handle(String payload, Headers headers) {
    IntakeResult result = decide(payload, headers);
    publisher.flushSoon();
    if (!result.repeated()) {
      metrics
          .counter(
              "goldsmith.registry.builds", "outcome", result.accepted() ? "accepted" : "rejected")
          .increment();
    }
    Log.infof(
        "intake build_id=%s accepted=%s version=%s repeated=%s errors=%s",
        result.buildId(), result.accepted(), result.version(), result.repeated(), result.errors());
    return result;
  }

  private IntakeResult decide(String payload, Headers headers) {
    Optional<String> tooLarge =
        IntakeValidator.payloadSize(payload, config.intake().maxPayloadBytes());
    if (tooLarge.isPresent()) {
      return reject(guessBuildId(payload, headers), List.of(tooLarge.get()), payload, true);
    }
    BuildRequested request;
    try {
      request = KafkaEvents.decode(headers, payload, BuildRequested.class);
    } catch (InvalidEventException e) {
      return reject(guessBuildId(payload, headers), e.errors(), payload, true);
    }
    Optional<IntakeResult> previous = republish(request.buildId());
    if (previous.isPresent()) {
      return previous.get();
    }
    List<String> errors = new ArrayList<>();
    Family family;
    BuildSpec spec;
    try {
      IntakeValidator.Result validated = IntakeValidator.validate(request, families.all());
      family = validated.family();
      spec = validated.spec();
      errors.addAll(validated.errors());
    } catch (FamilyException e) {
      // The registry's own files are broken: not the requester's fault, so the answer is not
      // stored.
      List<String> reasons = new ArrayList<>();
      reasons.add("registry: family files cannot be read; the request may be sent again");
      reasons.addAll(e.errors());
      return reject(request.buildId(), reasons, payload, false);
    }
    BuildOverrides overrides = request.overridesOrEmpty();
    if (family != null) {
      errors.addAll(families.overrideProblems(family, overrides.extraVars()));
      if (overrides.version() != null
          && versions.versionExists(family.name(), overrides.version())) {
        errors.add("overrides.version: '" + overrides.version() + "' already exists");
      }
      // A cloud that does not answer says nothing about the request: the exception reaches the
      // consumer policy, which waits the outage out in place (the request is neither rejected nor
      // parked) and asks again.
      errors.addAll(cloud.checkPlacement(spec.serverType(), spec.location()));
      errors.addAll(baseImages.problems(spec.baseImage(), spec.serverType()));
    }
    if (!errors.isEmpty()) {
      return reject(request.buildId(), errors, payload, true);
    }
    return accept(request, family, payload);
  }

  /** The stored answer of a build id, republished; empty when the id is new. */
  private Optional<IntakeResult> republish(UUID buildId) {
    if (buildId == null) {
      return Optional.empty();
    }
    return QuarkusTransaction.requiringNew()
        .call(
            () -> {
              Build b = builds.findById(buildId);
              if (b == null) {
                return Optional.empty();
              }
              outbox.addJson(b.answerType, buildId, b.answerJson);
              boolean accepted = EventType.BUILD_ACCEPTED.name().equals(b.answerType);
              List<String> errors =
                  accepted
                      ? List.of()
                      : EventCodec.fromJson(b.answerJson, BuildRejected.class).errors();
              Log.infof(
                  "repeated request answered again build_id=%s answer=%s", buildId, b.answerType);
              return Optional.of(new IntakeResult(buildId, accepted, b.version, errors, true));
            });
  }

  private IntakeResult accept(BuildRequested request, Family family, String payload) {
    try {
      return QuarkusTransaction.requiringNew()
          .call(
              () -> {
                Instant now = clock.instant();
                BuildOverrides overrides = request.overridesOrEmpty();
                String version =
                    overrides.version() != null
                        ? overrides.version()
                        : allocateVersion(family.name(), now);
                BuildSpec spec =
                    FamilyResolver.resolve(family, overrides, version, installation.id());
                BuildAccepted accepted = new BuildAccepted(request.buildId(), spec, now);
                String json = EventCodec.toJson(accepted);
                Build b = new Build();
                b.buildId = request.buildId();
                b.family = family.name();
                b.version = version;
                b.status = BuildStatus.ACCEPTED;
                b.requestedBy = request.requestedBy();
                b.answerType = EventType.BUILD_ACCEPTED.name();
                b.answerJson = json;
                b.specJson = EventCodec.mapper().writeValueAsString(spec);
                b.createdAt = now;
                b.updatedAt = now;
                builds.persist(b);
                ImageVersion v = new ImageVersion();
                v.family = family.name();
                v.version = version;
                v.buildId = request.buildId();
                v.status = VersionStatus.BUILDING;
                v.createdAt = now;
                v.updatedAt = now;
                versions.persist(v);
                builds.flush();
                outbox.addJson(b.answerType, b.buildId, json);
                return new IntakeResult(request.buildId(), true, version, List.of(), false);
              });
    } catch (RuntimeException e) {
      if (!Sql.isUniqueViolation(e)) {
        throw e;
      }
      // A concurrent request with the same build id, or an override version taken meanwhile.
      Optional<IntakeResult> previous = republish(request.buildId());
      if (previous.isPresent()) {
        return previous.get();
      }
      if (request.overridesOrEmpty().version() != null) {
        return reject(
            request.buildId(),
            List.of(
                "overrides.version: '" + request.overridesOrEmpty().version() + "' already exists"),
            payload,
            true);
      }
      throw e;
    }
  }

  /**
   * The next free {@code <yyyyMMdd>-v<n>} of the family: one atomic upsert on the per-family,
   * per-day counter row (which stays locked until commit), skipping numbers an explicit version
   * took.
   */
  String allocateVersion(String family, Instant now) {
    String day = DAY.format(now);
    while (true) {
      Number n =
          (Number)
              em.createNativeQuery(
                      "insert into version_counter (family, day, last_n) values (?1, ?2, 1)"
                          + " on conflict (family, day) do update"
                          + " set last_n = version_counter.last_n + 1 returning last_n")
                  .setParameter(1, family)
                  .setParameter(2, day)
                  .getSingleResult();
      String version = day + "-v" + n.intValue();
      if (!versions.versionExists(family, version)) {
        return version;
      }
    }
  }

  private IntakeResult reject(UUID buildId, List<String> errors, String payload, boolean store) {
    BuildRejected rejected =
        new BuildRejected(buildId, errors, BuildRejected.truncate(payload), clock.instant());
    try {
      return QuarkusTransaction.requiringNew()
          .call(
              () -> {
                if (buildId != null && store) {
                  Build existing = builds.findById(buildId);
                  if (existing != null) {
                    outbox.addJson(existing.answerType, buildId, existing.answerJson);
                    return new IntakeResult(
                        buildId,
                        EventType.BUILD_ACCEPTED.name().equals(existing.answerType),
                        existing.version,
                        errors,
                        true);
                  }
                  Build b = new Build();
                  b.buildId = buildId;
                  b.status = BuildStatus.REJECTED;
                  b.answerType = EventType.BUILD_REJECTED.name();
                  b.answerJson = EventCodec.toJson(rejected);
                  b.createdAt = rejected.occurredAt();
                  b.updatedAt = rejected.occurredAt();
                  String family = familyOf(payload);
                  b.family = family;
                  builds.persist(b);
                  outcomes.finished(b, rejected.occurredAt());
                  builds.flush();
                }
                outbox.add(rejected);
                return new IntakeResult(buildId, false, null, errors, false);
              });
    } catch (RuntimeException e) {
      if (!Sql.isUniqueViolation(e)) {
        throw e;
      }
      Optional<IntakeResult> previous = republish(buildId);
      if (previous.isPresent()) {
        return previous.get();
      }
      throw e;
    }
  }

  /**
   * The build id of an unreadable request, when it can still be found: the JSON field, else a
   * {@code "buildId": "<uuid>"} in broken JSON, else the {@code ce_subject} header.
   */
  static UUID guessBuildId(String payload, Headers headers) {
    JsonNode id = field(payload, "buildId");
    if (id != null && id.isTextual()) {
      UUID parsed = uuid(id.asText());
      if (parsed != null) {
        return parsed;
      }
    }
    if (payload != null) {
      Matcher m =
          BUILD_ID_IN_TEXT.matcher(
              payload.length() > 100_000 ? payload.substring(0, 100_000) : payload);
      if (m.find()) {
        return uuid(m.group(1));
      }
    }
    return CloudEventHeaders.get(headers, CloudEventHeaders.SUBJECT)
        .map(IntakeService::uuid)
        .orElse(null);
  }

  private static UUID uuid(String text) {
    try {
      return UUID.fromString(text);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static String familyOf(String payload) {
    JsonNode f = field(payload, "family");
    return f != null && f.isTextual() && f.asText().matches(Patterns.FAMILY) ? f.asText() : null;
  }

  private static JsonNode field(String payload, String name) {
    if (payload == null || payload.length() > 1_000_000) {
      return null;
    }
    try {
      JsonNode root = EventCodec.mapper().readTree(payload);
      return root != null && root.isObject() ? root.get(name) : null;
    } catch (Exception e) {
      return null;
    }
  }
}
