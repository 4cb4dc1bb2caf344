package dev.goldsmith.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;

import dev.goldsmith.events.BuildAccepted;
import dev.goldsmith.events.BuildOverrides;
import dev.goldsmith.events.BuildRequested;
import dev.goldsmith.events.BuildSpec;
import dev.goldsmith.events.CloudEventHeaders;
import dev.goldsmith.events.EventCodec;
import dev.goldsmith.events.PipelineEvent;
import dev.goldsmith.events.SnapshotCreated;
import dev.goldsmith.events.Topics;
import dev.goldsmith.events.Verdict;
import dev.goldsmith.events.VerificationFinished;
import dev.goldsmith.events.VerificationReport;
import dev.goldsmith.hcloud.HcloudClient;
import dev.goldsmith.hcloud.model.CreateImageRequest;
import dev.goldsmith.hcloud.model.CreateImageResult;
import dev.goldsmith.hcloud.model.CreateServerRequest;
import dev.goldsmith.hcloud.model.CreateServerResult;
import dev.goldsmith.hcloud.model.Image;
import dev.goldsmith.registry.domain.BuildRepository;
import dev.goldsmith.registry.domain.ImageVersionRepository;
import dev.goldsmith.registry.installation.Installation;
import dev.goldsmith.registry.intake.IntakeResult;
import dev.goldsmith.registry.intake.IntakeService;
import dev.goldsmith.registry.timeline.TimelineService;
import dev.goldsmith.testkit.EmulatorTestResource;
import dev.goldsmith.testkit.KafkaTestSupport;

/**
 * Drives the registry the way the pipeline does: Kafka records in, Hetzner snapshots around. The
 * emulator (virtual backend) serves as Hetzner for every test of the module.
 */
@QuarkusTestResource(
    value = EmulatorTestResource.class,
    initArgs = @ResourceArg(name = "emulator.actions.default-duration", value = "100ms"))
@QuarkusTestResource(RolesWithEscapeResource.class)
public abstract class RegistryTestSupport {
  protected static final String SOURCE = "/goldsmith/registry-tests";
  private static volatile String readyGroup;

  @Inject protected IntakeService intake;
  @Inject protected HcloudClient hcloud;
  @Inject protected ImageVersionRepository versions;
  @Inject protected BuildRepository builds;
  @Inject protected TimelineService timeline;
  @Inject protected Installation installation;

  /** A build request for a family. */
  protected static BuildRequested request(UUID buildId, String family, BuildOverrides overrides) {
    return new BuildRequested(buildId, family, overrides, "registry-tests", Instant.now());
  }

  /** CloudEvents headers of an event as Kafka headers. */
  protected static Headers headers(PipelineEvent event) {
    return CloudEventHeaders.of(event, SOURCE);
  }

  /** Sends an event on its topic with its CloudEvents headers. */
  protected static void send(PipelineEvent event) {
    sendRaw(
        event.type().topic(), event.buildId().toString(), EventCodec.toJson(event), headers(event));
  }

  protected static void sendRaw(String topic, String key, String value, Headers headers) {
    Map<String, String> map = new LinkedHashMap<>();
    for (Header h : headers) {
      map.put(h.key(), new String(h.value(), StandardCharsets.UTF_8));
    }
    KafkaTestSupport.send(topic, key, value, map);
  }

  /** Records of a topic whose key is the build id, once at least {@code count} arrived. */
  protected static List<ConsumerRecord<String, String>> awaitRecords(
      String topic, UUID buildId, int count) {
    String key = buildId.toString();
    List<ConsumerRecord<String, String>> read =
        KafkaTestSupport.readUntil(
            topic,
            rs -> rs.stream().filter(r -> key.equals(r.key())).count() >= count,
            Duration.ofSeconds(60));
    List<ConsumerRecord<String, String>> mine =
        read.stream().filter(r -> key.equals(r.key())).toList();
    if (mine.size() < count) {
      throw new AssertionError(
          "expected "
              + count
              + " record(s) of build "
              + key
              + " on "
              + topic
              + ", got "
              + mine.size());
    }
    return mine;
  }

  /** The first record of a topic for the build, decoded. */
  protected static <T> T awaitEvent(String topic, UUID buildId, Class<T> type) {
    return EventCodec.fromJson(awaitRecords(topic, buildId, 1).get(0).value(), type);
  }

  /**
   * The consumer group of a test run starts at the end of the topics: wait until it is assigned by
   * sending probe requests until one is answered.
   */
  protected static void awaitConsumerReady() {
    String group =
        org.eclipse.microprofile.config.ConfigProvider.getConfig()
            .getValue("mp.messaging.incoming.pipeline.group.id", String.class);
    if (group.equals(readyGroup)) {
      return;
    }
    await()
        .alias("the registry's consumer answers a probe request")
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ZERO)
        .until(
            () -> {
              UUID probe = UUID.randomUUID();
              send(request(probe, "no-such-family", null));
              return KafkaTestSupport.readUntil(
                      Topics.BUILD_REJECTED,
                      rs -> rs.stream().anyMatch(r -> probe.toString().equals(r.key())),
                      Duration.ofSeconds(5))
                  .stream()
                  .anyMatch(r -> probe.toString().equals(r.key()));
            });
    readyGroup = group;
  }

  /** Accepts a build through intake (direct call) and returns its resolved spec. */
  protected BuildSpec accept(String family) {
    UUID id = UUID.randomUUID();
    BuildRequested r = request(id, family, null);
    IntakeResult result = intake.handle(EventCodec.toJson(r), headers(r));
    if (!result.accepted()) {
      throw new AssertionError("not accepted: " + result.errors());
    }
    String json = QuarkusTransaction.requiringNew().call(() -> builds.findById(id).answerJson);
    return EventCodec.fromJson(json, BuildAccepted.class).spec();
  }

  /** The build id of a spec accepted by {@link #accept}. */
  protected UUID buildIdOf(BuildSpec spec) {
    return QuarkusTransaction.requiringNew()
        .call(
            () -> versions.byFamilyAndVersion(spec.family(), spec.version()).orElseThrow().buildId);
  }

  /**
   * Makes a snapshot the way the provisioner does: a server, create_image with the candidate
   * labels, server deleted.
   */
  protected long snapshot(UUID buildId, BuildSpec spec) {
    Map<String, String> labels = new HashMap<>();
    labels.put("goldsmith.dev/managed", "true");
    labels.put("goldsmith.dev/installation", spec.installationId());
    labels.put("goldsmith.dev/family", spec.family());
    labels.put("goldsmith.dev/version", spec.version());
    labels.put("goldsmith.dev/build-id", buildId.toString());
    labels.put("goldsmith.dev/state", "candidate");
    labels.put("goldsmith.dev/base-image", spec.baseImage());
    return snapshot(buildId, spec, labels);
  }

  /**
   * A snapshot with exactly the given labels (e.g. an operator's own, or another installation's).
   */
  protected long snapshot(UUID buildId, BuildSpec spec, Map<String, String> labels) {
    CreateServerResult server =
        hcloud
            .servers()
            .createAndAwait(
                CreateServerRequest.builder(
                        "reg-test-" + buildId.toString().substring(0, 8),
                        spec.serverType(),
                        spec.baseImage())
                    .location(spec.location())
                    .label("goldsmith.dev/managed", "true")
                    .label("goldsmith.dev/role", "builder")
                    .build());
    hcloud.actions().waitForAndAwait(server.allActions());
    CreateImageResult image =
        hcloud
            .servers()
            .createImageAndAwait(
                server.server().id(),
                CreateImageRequest.snapshot(spec.family() + " " + spec.version(), labels));
    hcloud.actions().waitForAndAwait(image.action());
    hcloud.actions().waitForAndAwait(hcloud.servers().deleteAndAwait(server.server().id()));
    return image.image().id();
  }

  /** Accepted, snapshotted and announced (SnapshotCreated): a candidate awaiting its verdict. */
  protected Candidate candidate(String family) {
    BuildSpec spec = accept(family);
    UUID id = buildIdOf(spec);
    long imageId = snapshot(id, spec);
    timeline.record(new SnapshotCreated(id, spec, imageId, 1.0, Instant.now()), null);
    assertThat(QuarkusTransaction.requiringNew().call(() -> imageIdInDb(id))).contains(imageId);
    return new Candidate(id, spec, imageId);
  }

  private Optional<Long> imageIdInDb(UUID id) {
    return versions.byBuild(id).map(v -> v.imageId);
  }

  /** A build with its spec and snapshot. */
  protected record Candidate(UUID buildId, BuildSpec spec, long imageId) {}

  protected static VerificationFinished verdict(Candidate c, Verdict verdict) {
    VerificationReport report =
        new VerificationReport(List.of(), List.of(), "verdict " + verdict + " from the tests");
    String family = verdict == Verdict.PASSED || verdict == Verdict.ARTIFACT_DEFECT ? "ipv4" : null;
    return new VerificationFinished(
        c.buildId(), c.spec(), c.imageId(), verdict, family, report, 1, Instant.now());
  }

  /** The image as Hetzner has it now. */
  protected Optional<Image> image(long id) {
    return hcloud.images().getAndAwait(id);
  }

  /** The version's status in the database. */
  protected String status(UUID buildId) {
    return QuarkusTransaction.requiringNew()
        .call(() -> versions.byBuild(buildId).map(v -> v.status.name()).orElse("NONE"));
  }

  protected static Headers noHeaders() {
    return new RecordHeaders();
  }
}
