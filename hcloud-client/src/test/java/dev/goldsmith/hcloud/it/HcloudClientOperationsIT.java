package dev.goldsmith.hcloud.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.vertx.mutiny.core.Vertx;

import dev.goldsmith.hcloud.HcloudClient;
import dev.goldsmith.hcloud.error.HcloudApiException;
import dev.goldsmith.hcloud.error.HcloudErrorCode;
import dev.goldsmith.hcloud.label.LabelSelector;
import dev.goldsmith.hcloud.model.Action;
import dev.goldsmith.hcloud.model.ActionStatus;
import dev.goldsmith.hcloud.model.Architecture;
import dev.goldsmith.hcloud.model.CreateImageRequest;
import dev.goldsmith.hcloud.model.CreateImageResult;
import dev.goldsmith.hcloud.model.CreateServerRequest;
import dev.goldsmith.hcloud.model.CreateServerResult;
import dev.goldsmith.hcloud.model.CreateSshKeyRequest;
import dev.goldsmith.hcloud.model.Image;
import dev.goldsmith.hcloud.model.ImageQuery;
import dev.goldsmith.hcloud.model.ImageStatus;
import dev.goldsmith.hcloud.model.ImageType;
import dev.goldsmith.hcloud.model.Location;
import dev.goldsmith.hcloud.model.NameQuery;
import dev.goldsmith.hcloud.model.Page;
import dev.goldsmith.hcloud.model.Server;
import dev.goldsmith.hcloud.model.ServerQuery;
import dev.goldsmith.hcloud.model.ServerStatus;
import dev.goldsmith.hcloud.model.ServerType;
import dev.goldsmith.hcloud.model.SshKey;
import dev.goldsmith.hcloud.model.SshKeyQuery;
import dev.goldsmith.hcloud.model.UpdateImageRequest;
import dev.goldsmith.hcloud.model.UpdateSshKeyRequest;
import dev.goldsmith.testkit.EmulatorProcess;

/** Every operation of the client against the emulator (virtual backend). */
class HcloudClientOperationsIT {

  private static EmulatorProcess emulator;
  private static Vertx vertx;
  private static HcloudClient client;

  @BeforeAll
  static void start() {
    emulator = Emulator.start(Map.of());
    vertx = Vertx.vertx();
    client = HcloudClient.create(Emulator.config(emulator), vertx);
  }

  @AfterAll
  static void stop() {
    if (client != null) {
      client.close();
    }
    if (vertx != null) {
      vertx.closeAndAwait();
    }
    if (emulator != null) {
      emulator.close();
    }
  }

  @BeforeEach
  void reset() {
    emulator.control().reset();
  }

  private Server createRunning(String name, Map<String, String> labels) {
    CreateServerResult created =
        client
            .servers()
            .createAndAwait(
                CreateServerRequest.builder(name, "cx22", "debian-12")
                    .location("fsn1")
                    .labels(labels)
                    .build());
    client.actions().waitForAndAwait(created.allActions());
    return client.servers().getAndAwait(created.server().id()).orElseThrow();
  }

  @Test
  void locationsAndServerTypesAreListedAndLookedUp() {
    List<Location> locations = client.locations().allAndAwait(NameQuery.all());
    assertThat(locations).extracting(Location::name).contains("fsn1", "nbg1", "hel1");
    Location fsn1 = client.locations().getByNameAndAwait("fsn1").orElseThrow();
    assertThat(client.locations().getAndAwait(fsn1.id())).contains(fsn1);
    assertThat(client.locations().getAndAwait(987654)).isEmpty();
    assertThat(client.locations().getByNameAndAwait("nowhere")).isEmpty();
    Page<Location> one =
        client.locations().listAndAwait(NameQuery.all().withSort("id:asc").withPage(1, 2));
    assertThat(one.items()).hasSize(2);
    assertThat(one.nextPage()).contains(2);

    ServerType cx22 = client.serverTypes().getByNameAndAwait("cx22").orElseThrow();
    assertThat(cx22.architecture()).isEqualTo(Architecture.X86);
    assertThat(cx22.prices()).isNotEmpty();
    assertThat(client.serverTypes().getAndAwait(cx22.id())).contains(cx22);
    assertThat(client.serverTypes().allAndAwait(NameQuery.all()))
        .extracting(ServerType::name)
        .contains("cx22", "cax11");
    assertThat(client.serverTypes().listAndAwait(NameQuery.all().withName("cx22")).items())
        .hasSize(1);
  }

  @Test
  void sshKeysLifecycle() {
    String pub = SshKeys.newPublicKey("it@goldsmith");
    SshKey key =
        client
            .sshKeys()
            .createAndAwait(new CreateSshKeyRequest("it-key", pub + "\n", Map.of("purpose", "it")));
    assertThat(key.fingerprint()).isEqualTo(SshKeys.md5Fingerprint(pub));

    assertThat(client.sshKeys().getAndAwait(key.id())).isPresent();
    assertThat(client.sshKeys().getByNameAndAwait("it-key").map(SshKey::id)).contains(key.id());
    assertThat(client.sshKeys().getByFingerprintAndAwait(key.fingerprint()).map(SshKey::id))
        .contains(key.id());
    assertThat(
            client
                .sshKeys()
                .listAndAwait(SshKeyQuery.all().withLabelSelector("purpose=it"))
                .items())
        .hasSize(1);

    assertThatThrownBy(
            () -> client.sshKeys().createAndAwait(new CreateSshKeyRequest("other", pub, Map.of())))
        .isInstanceOfSatisfying(
            HcloudApiException.class,
            e -> assertThat(e.code()).isEqualTo(HcloudErrorCode.UNIQUENESS_ERROR));

    SshKey renamed =
        client
            .sshKeys()
            .updateAndAwait(key.id(), new UpdateSshKeyRequest("it-key-2", Map.of("a", "b")));
    assertThat(renamed.name()).isEqualTo("it-key-2");
    assertThat(renamed.labels()).isEqualTo(Map.of("a", "b"));

    client.sshKeys().deleteAndAwait(key.id());
    assertThat(client.sshKeys().getAndAwait(key.id())).isEmpty();
    assertThatThrownBy(() -> client.sshKeys().deleteAndAwait(key.id()))
        .isInstanceOfSatisfying(
            HcloudApiException.class,
            e -> assertThat(e.code()).isEqualTo(HcloudErrorCode.NOT_FOUND));
  }

  @Test
  void allFollowsNextPageBeyondFiftyItems() {
    for (int i = 0; i < 53; i++) {
      client
          .sshKeys()
          .createAndAwait(
              new CreateSshKeyRequest("k" + i, SshKeys.newPublicKey("k" + i), Map.of()));
    }
    assertThat(client.sshKeys().allAndAwait(SshKeyQuery.all())).hasSize(53);
    Page<SshKey> first = client.sshKeys().listAndAwait(SshKeyQuery.all().withSort("id:asc"));
    assertThat(first.items()).hasSize(25);
    assertThat(first.nextPage()).contains(2);
  }

  @Test
  void serverLifecycleWithEveryServerAction() {
    SshKey key =
        client
            .sshKeys()
            .createAndAwait(
                new CreateSshKeyRequest("srv-key", SshKeys.newPublicKey("x"), Map.of()));
    CreateServerResult created =
        client
            .servers()
            .createAndAwait(
                CreateServerRequest.builder("it-server", "cx22", "debian-12")
                    .location("fsn1")
                    .sshKey(key.id())
                    .label("goldsmith.dev/role", "builder")
                    .userData("#cloud-config\n")
                    .build());
    assertThat(created.server().status()).isEqualTo(ServerStatus.INITIALIZING);
    assertThat(created.server().ipv4Address()).isPresent();
    assertThat(created.server().ipv6HostAddress().orElseThrow()).endsWith("::1");
    assertThat(created.rootPassword()).isEmpty();
    assertThat(created.nextActions()).extracting(Action::command).containsExactly("start_server");

    List<Action> done =
        client.actions().waitForAndAwait(created.allActions(), Duration.ofSeconds(20));
    assertThat(done).extracting(Action::status).containsOnly(ActionStatus.SUCCESS);
    long id = created.server().id();
    assertThat(client.servers().getAndAwait(id).orElseThrow().status())
        .isEqualTo(ServerStatus.RUNNING);
    assertThat(client.servers().getByNameAndAwait("it-server").map(Server::id)).contains(id);
    assertThat(
            client
                .servers()
                .allAndAwait(
                    ServerQuery.all()
                        .withLabelSelector(
                            LabelSelector.builder().eq("goldsmith.dev/role", "builder").build())
                        .withStatus(ServerStatus.RUNNING)))
        .extracting(Server::id)
        .containsExactly(id);
    assertThat(client.servers().listAndAwait(ServerQuery.all().withName("nope")).items()).isEmpty();

    Server relabelled = client.servers().updateLabelsAndAwait(id, Map.of("stage", "two"));
    assertThat(relabelled.labels()).isEqualTo(Map.of("stage", "two"));

    client.actions().waitForAndAwait(client.servers().rebootAndAwait(id));
    client.actions().waitForAndAwait(client.servers().resetAndAwait(id));
    client.actions().waitForAndAwait(client.servers().powerOffAndAwait(id));
    assertThat(client.servers().getAndAwait(id).orElseThrow().status()).isEqualTo(ServerStatus.OFF);
    client.actions().waitForAndAwait(client.servers().powerOnAndAwait(id));
    assertThat(client.servers().getAndAwait(id).orElseThrow().status())
        .isEqualTo(ServerStatus.RUNNING);

    Action shutdown = client.actions().waitForAndAwait(client.servers().shutdownAndAwait(id));
    assertThat(shutdown.command()).isEqualTo("shutdown_server");
    Server off = client.servers().shutdownAndWaitOffAndAwait(id, Duration.ofSeconds(10));
    assertThat(off.status()).isEqualTo(ServerStatus.OFF);

    var rebuilt = client.servers().rebuildAndAwait(id, "debian-12");
    assertThat(client.actions().waitForAndAwait(rebuilt.action()).command())
        .isEqualTo("rebuild_server");

    client.actions().waitForAndAwait(client.servers().changeProtectionAndAwait(id, true, true));
    assertThat(client.servers().getAndAwait(id).orElseThrow().protection().delete()).isTrue();
    assertThatThrownBy(() -> client.servers().deleteAndAwait(id))
        .isInstanceOfSatisfying(
            HcloudApiException.class,
            e -> assertThat(e.code()).isEqualTo(HcloudErrorCode.PROTECTED));
    client.actions().waitForAndAwait(client.servers().changeProtectionAndAwait(id, false, false));

    Action delete = client.servers().deleteAndAwait(id);
    assertThat(delete.command()).isEqualTo("delete_server");
    client.actions().waitForAndAwait(delete);
    assertThat(client.servers().getAndAwait(id)).isEmpty();
    // Actions stay readable after their resource is gone.
    assertThat(client.actions().getAndAwait(delete.id()).orElseThrow().status())
        .isEqualTo(ActionStatus.SUCCESS);
    assertThat(client.actions().getAllAndAwait(List.of(created.action().id(), delete.id())))
        .extracting(Action::id)
        .containsExactly(created.action().id(), delete.id());
    assertThat(client.actions().getAndAwait(999_999_999L)).isEmpty();
  }

  @Test
  void snapshotLifecycle() {
    Server s = createRunning("snap-src", Map.of());
    CreateImageResult snap =
        client
            .servers()
            .createImageAndAwait(s.id(), CreateImageRequest.snapshot("golden-1", Map.of("k", "v")));
    assertThat(snap.image().status()).isEqualTo(ImageStatus.CREATING);
    assertThat(snap.image().name()).isNull();
    client.actions().waitForAndAwait(snap.action());
    long imageId = snap.image().id();

    Image img = client.images().getAndAwait(imageId).orElseThrow();
    assertThat(img.status()).isEqualTo(ImageStatus.AVAILABLE);
    assertThat(img.type()).isEqualTo(ImageType.SNAPSHOT);
    assertThat(img.createdFrom().id()).isEqualTo(s.id());
    assertThat(img.imageSize()).isNotNull();

    ImageQuery mine =
        ImageQuery.all()
            .withType(ImageType.SNAPSHOT)
            .withStatus(ImageStatus.AVAILABLE)
            .withLabelSelector("k=v")
            .withArchitecture(Architecture.X86)
            .withSort("created:desc");
    assertThat(client.images().allAndAwait(mine)).extracting(Image::id).containsExactly(imageId);
    assertThat(client.images().listAndAwait(mine.withPage(1, 1)).items()).hasSize(1);
    assertThat(
            client
                .images()
                .allAndAwait(
                    ImageQuery.all().withName("debian-12").withArchitecture(Architecture.ARM)))
        .extracting(Image::architecture)
        .containsOnly(Architecture.ARM);
    assertThat(client.images().allAndAwait(ImageQuery.all().withType(ImageType.SYSTEM)))
        .isNotEmpty();

    Image updated =
        client
            .images()
            .updateAndAwait(imageId, new UpdateImageRequest("golden-1b", null, Map.of("k", "w")));
    assertThat(updated.description()).isEqualTo("golden-1b");
    assertThat(client.images().updateLabelsAndAwait(imageId, Map.of("promoted", "true")).labels())
        .isEqualTo(Map.of("promoted", "true"));

    client.actions().waitForAndAwait(client.images().changeProtectionAndAwait(imageId, true));
    assertThatThrownBy(() -> client.images().deleteAndAwait(imageId))
        .isInstanceOfSatisfying(
            HcloudApiException.class,
            e -> assertThat(e.code()).isEqualTo(HcloudErrorCode.PROTECTED));
    client.actions().waitForAndAwait(client.images().changeProtectionAndAwait(imageId, false));
    client.images().deleteAndAwait(imageId);
    assertThat(client.images().getAndAwait(imageId)).isEmpty();
  }

  @Test
  void invalidInputIsNotRetriedAndNamesTheField() {
    emulator.control().resetCounters();
    assertThatThrownBy(
            () ->
                client
                    .servers()
                    .createAndAwait(
                        CreateServerRequest.builder("bad_name!", "cx22", "debian-12").build()))
        .isInstanceOfSatisfying(
            HcloudApiException.class,
            e -> {
              assertThat(e.code()).isEqualTo(HcloudErrorCode.INVALID_INPUT);
              assertThat(e.correlationId()).isPresent();
            });
    assertThat(emulator.control().requests("POST /v1/servers")).isEqualTo(1);
  }

  @Test
  void mutinyApiComposesWithoutBlocking() {
    List<String> names = new ArrayList<>();
    Server s =
        client
            .servers()
            .create(CreateServerRequest.builder("uni-server", "cx22", "debian-12").build())
            .chain(r -> client.actions().waitFor(r.allActions()).replaceWith(r.server().id()))
            .chain(id -> client.servers().get(id))
            .map(o -> o.orElseThrow())
            .invoke(srv -> names.add(srv.name()))
            .await()
            .atMost(Duration.ofSeconds(30));
    assertThat(s.status()).isEqualTo(ServerStatus.RUNNING);
    assertThat(names).containsExactly("uni-server");
  }
}
