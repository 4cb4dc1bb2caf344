package dev.goldsmith.registry;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.hasItem;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;

import dev.goldsmith.events.BuildSpec;
import dev.goldsmith.events.Verdict;
import dev.goldsmith.hcloud.model.Image;
import dev.goldsmith.hcloud.model.ImageQuery;
import dev.goldsmith.hcloud.model.ImageType;
import dev.goldsmith.registry.domain.ImageVersion;
import dev.goldsmith.registry.domain.VersionStatus;

/** Ownership and monotonic promotion with truthful retention. */
@QuarkusTest
class OwnershipRetentionIT extends RegistryTestSupport {

  @BeforeEach
  void consumerReady() {
    awaitConsumerReady();
  }

  @Test
  void foreignProtectedSnapshotSurvivesPromotionsAndIsListedAsForeign() {
    BuildSpec spec = accept("reg-foreign");
    // An operator's snapshot with only the family label, delete protection on; and one of another
    // Goldsmith installation.
    long operators =
        snapshot(UUID.randomUUID(), spec, Map.of("goldsmith.dev/family", "reg-foreign"));
    hcloud.actions().waitForAndAwait(hcloud.images().changeProtectionAndAwait(operators, true));
    Map<String, String> other = new HashMap<>();
    other.put("goldsmith.dev/managed", "true");
    other.put("goldsmith.dev/installation", "some-other-installation");
    other.put("goldsmith.dev/family", "reg-foreign");
    long otherInstallations = snapshot(UUID.randomUUID(), spec, other);

    Candidate first = candidate("reg-foreign");
    send(verdict(first, Verdict.PASSED));
    awaitPromotedAndCleaned(first);
    Candidate second = candidate("reg-foreign");
    send(verdict(second, Verdict.PASSED));
    awaitPromotedAndCleaned(second);
    await().atMost(Duration.ofSeconds(30)).until(() -> image(first.imageId()).isEmpty());

    Image kept = image(operators).orElseThrow();
    assertThat(kept.protection().delete()).as("protection untouched").isTrue();
    assertThat(image(otherInstallations)).as("another installation's snapshot").isPresent();
    given()
        .get("/api/families/reg-foreign/foreign-snapshots")
        .then()
        .statusCode(200)
        .body("imageId", hasItem((int) operators))
        .body("imageId", hasItem((int) otherInstallations))
        .body("why", hasItem("not labelled goldsmith.dev/managed=true"));
    assertThat(image(second.imageId()).orElseThrow().labels())
        .containsEntry("goldsmith.dev/installation", installation.id());
  }

  @Test
  void buildsFinishingInReverseOrderPromoteTheHighestAndKeepOneSnapshot() {
    int n = 4;
    List<Candidate> builds = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      builds.add(candidate("reg-reverse"));
    }
    Candidate highest = builds.get(n - 1);
    // Verdicts arrive newest first: completion order must not decide.
    for (int i = n - 1; i >= 0; i--) {
      send(verdict(builds.get(i), Verdict.PASSED));
    }
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> familySnapshots("reg-reverse").size() == 1 && allSettled("reg-reverse"));
    assertThat(familySnapshots("reg-reverse")).containsExactly(highest.imageId());
    assertThat(status(highest.buildId())).isEqualTo("PROMOTED");
    for (Candidate c : builds.subList(0, n - 1)) {
      ImageVersion v = version(c.buildId());
      assertThat(v.status).isEqualTo(VersionStatus.DELETED);
      assertThat(v.imageDeletedAt).isNotNull();
      assertThat(v.statusReason)
          .contains("not higher than the promoted version " + highest.spec().version());
      given()
          .get("/api/builds/" + c.buildId())
          .then()
          .statusCode(200)
          .body("build.status", org.hamcrest.Matchers.equalTo("VERIFIED"))
          .body("build.statusReason", org.hamcrest.Matchers.containsString("not higher"));
    }

    // A newer build passes: the promoted one is superseded and kept (keep_previous 1).
    Candidate next = candidate("reg-reverse");
    send(verdict(next, Verdict.PASSED));
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                status(next.buildId()).equals("PROMOTED")
                    && familySnapshots("reg-reverse").size() == 2
                    && allSettled("reg-reverse"));
    assertThat(familySnapshots("reg-reverse"))
        .containsExactlyInAnyOrder(highest.imageId(), next.imageId());
    ImageVersion superseded = version(highest.buildId());
    assertThat(superseded.status).isEqualTo(VersionStatus.SUPERSEDED);
    assertThat(superseded.statusReason).isEqualTo("superseded by " + next.spec().version());
    given()
        .get("/api/builds/" + highest.buildId())
        .then()
        .body("build.status", org.hamcrest.Matchers.equalTo("VERIFIED"));
  }

  private void awaitPromotedAndCleaned(Candidate c) {
    await()
        .atMost(Duration.ofSeconds(45))
        .until(
            () ->
                image(c.imageId())
                        .filter(i -> "true".equals(i.labels().get("goldsmith.dev/promoted")))
                        .isPresent()
                    && allSettled(c.spec().family()));
  }

  /** No cloud task of the family is left to run. */
  private boolean allSettled(String family) {
    return QuarkusTransaction.requiringNew().call(() -> tasksOpen(family)) == 0;
  }

  private long tasksOpen(String family) {
    return builds
        .getEntityManager()
        .createQuery(
            "select count(t) from CloudTask t where t.family = ?1 and t.step not in ?2", Long.class)
        .setParameter(1, family)
        .setParameter(
            2,
            List.of(
                dev.goldsmith.registry.domain.CloudTask.Step.DONE,
                dev.goldsmith.registry.domain.CloudTask.Step.FAILED))
        .getSingleResult();
  }

  private List<Long> familySnapshots(String family) {
    return hcloud
        .images()
        .allAndAwait(
            ImageQuery.all()
                .withType(ImageType.SNAPSHOT)
                .withLabelSelector("goldsmith.dev/family=" + family))
        .stream()
        .filter(i -> i.deleted() == null)
        .map(Image::id)
        .toList();
  }

  private ImageVersion version(UUID buildId) {
    return QuarkusTransaction.requiringNew().call(() -> versions.byBuild(buildId).orElseThrow());
  }
}
