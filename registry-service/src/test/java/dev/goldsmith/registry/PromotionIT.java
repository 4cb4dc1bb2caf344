package dev.goldsmith.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;

import dev.goldsmith.events.BuildFailed;
import dev.goldsmith.events.ImagePromoted;
import dev.goldsmith.events.Topics;
import dev.goldsmith.events.Verdict;
import dev.goldsmith.hcloud.model.Image;
import dev.goldsmith.registry.domain.VersionStatus;

@QuarkusTest
class PromotionIT extends RegistryTestSupport {

  @BeforeEach
  void consumerReady() {
    awaitConsumerReady();
  }

  @Test
  void passedVersionIsPromotedLabelledProtectedAndThePreviousOneDeleted() {
    Candidate first = candidate("reg-promo");
    send(verdict(first, Verdict.PASSED));
    awaitPromotedOnHetzner(first.imageId());
    ImagePromoted announced =
        awaitEvent(Topics.IMAGE_PROMOTED, first.buildId(), ImagePromoted.class);
    assertThat(announced.imageId()).isEqualTo(first.imageId());
    assertThat(announced.previousImageId()).isNull();
    assertThat(status(first.buildId())).isEqualTo("PROMOTED");

    // A build still in progress (snapshot made, verdict pending), an unverified leftover, and the
    // next version that passes.
    Candidate inFlight = candidate("reg-promo");
    Candidate leftover = candidate("reg-promo");
    send(verdict(leftover, Verdict.CHANNEL_FAILURE));
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> status(leftover.buildId()).equals("UNVERIFIED"));
    Candidate second = candidate("reg-promo");
    send(verdict(second, Verdict.PASSED));

    awaitPromotedOnHetzner(second.imageId());
    ImagePromoted next = awaitEvent(Topics.IMAGE_PROMOTED, second.buildId(), ImagePromoted.class);
    assertThat(next.previousImageId()).isEqualTo(first.imageId());
    await().atMost(Duration.ofSeconds(30)).until(() -> image(first.imageId()).isEmpty());
    await().atMost(Duration.ofSeconds(30)).until(() -> image(leftover.imageId()).isEmpty());
    assertThat(image(inFlight.imageId())).as("in-flight candidate").isPresent();
    assertThat(image(second.imageId()).orElseThrow().protection().delete()).isTrue();
    // Superseded, then its snapshot deleted by retention (keep_previous 0): the version says so.
    await().atMost(Duration.ofSeconds(30)).until(() -> status(first.buildId()).equals("DELETED"));
    assertThat(
            QuarkusTransaction.requiringNew()
                .call(() -> versions.byBuild(first.buildId()).orElseThrow().statusReason))
        .isEqualTo(
            "snapshot deleted: superseded by "
                + second.spec().version()
                + ", beyond keep_previous=0");
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> status(leftover.buildId()).equals("DELETED"));
    assertThat(status(second.buildId())).isEqualTo("PROMOTED");
    assertThat(status(inFlight.buildId())).isEqualTo("CANDIDATE");
    assertThat(
            QuarkusTransaction.requiringNew()
                .call(
                    () ->
                        versions.count(
                            "family = ?1 and status = ?2", "reg-promo", VersionStatus.PROMOTED)))
        .isEqualTo(1);
  }

  @Test
  void artifactDefectRejectsTheVersionAndDeletesItsSnapshot() {
    Candidate bad = candidate("reg-defect");
    send(verdict(bad, Verdict.ARTIFACT_DEFECT));
    await().atMost(Duration.ofSeconds(30)).until(() -> image(bad.imageId()).isEmpty());
    assertThat(status(bad.buildId())).isEqualTo("REJECTED");
  }

  @Test
  void channelFailureKeepsTheSnapshotUnverifiedAndDeletesNothing() {
    Candidate promoted = candidate("reg-channel");
    send(verdict(promoted, Verdict.PASSED));
    awaitPromotedOnHetzner(promoted.imageId());
    Candidate unlucky = candidate("reg-channel");
    int before = hcloud.images().allAndAwait(dev.goldsmith.hcloud.model.ImageQuery.all()).size();

    send(verdict(unlucky, Verdict.CHANNEL_FAILURE));

    BuildFailed failed = awaitEvent(Topics.BUILD_FAILED, unlucky.buildId(), BuildFailed.class);
    assertThat(failed.stage()).isEqualTo(BuildFailed.Stage.VERIFY);
    assertThat(failed.reasonClass()).hasToString("channel_failure");
    assertThat(failed.resources()).isEmpty();
    assertThat(status(unlucky.buildId())).isEqualTo("UNVERIFIED");
    Image kept = image(unlucky.imageId()).orElseThrow();
    assertThat(kept.protection().delete()).isFalse();
    assertThat(image(promoted.imageId())).isPresent();
    assertThat(hcloud.images().allAndAwait(dev.goldsmith.hcloud.model.ImageQuery.all()))
        .hasSize(before);
  }

  private void awaitPromotedOnHetzner(long imageId) {
    await()
        .atMost(Duration.ofSeconds(45))
        .until(
            () ->
                image(imageId)
                    .filter(i -> "true".equals(i.labels().get("goldsmith.dev/promoted")))
                    .filter(i -> i.protection() != null && i.protection().delete())
                    .isPresent());
  }
}
