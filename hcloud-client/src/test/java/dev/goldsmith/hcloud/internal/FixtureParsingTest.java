package dev.goldsmith.hcloud.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.goldsmith.hcloud.error.HcloudApiException;
import dev.goldsmith.hcloud.error.HcloudErrorCode;
import dev.goldsmith.hcloud.model.Action;
import dev.goldsmith.hcloud.model.ActionStatus;
import dev.goldsmith.hcloud.model.Architecture;
import dev.goldsmith.hcloud.model.Image;
import dev.goldsmith.hcloud.model.ImageStatus;
import dev.goldsmith.hcloud.model.ImageType;
import dev.goldsmith.hcloud.model.Location;
import dev.goldsmith.hcloud.model.Page;
import dev.goldsmith.hcloud.model.Server;
import dev.goldsmith.hcloud.model.ServerStatus;
import dev.goldsmith.hcloud.model.SshKey;

class FixtureParsingTest {

  @Test
  void createServerResponseParsesEveryDocumentedField() {
    JsonNode env = Fixtures.json("create-server-response.json");
    Server s = Json.member(env, "server", Server.class);

    assertThat(s.id()).isEqualTo(58231907L);
    assertThat(s.status()).isEqualTo(ServerStatus.INITIALIZING);
    assertThat(s.created()).isEqualTo(OffsetDateTime.of(2026, 3, 2, 10, 15, 4, 0, ZoneOffset.UTC));
    assertThat(s.publicNet().ipv4().ip()).isEqualTo("203.0.113.10");
    assertThat(s.publicNet().ipv4().id()).isEqualTo(90112233L);
    assertThat(s.publicNet().ipv4().dnsPtr())
        .isEqualTo("static.10.113.0.203.clients.your-server.de");
    assertThat(s.publicNet().ipv6().network()).isEqualTo("2001:db8:4f8:c17::/64");
    assertThat(s.ipv6HostAddress()).contains("2001:db8:4f8:c17::1");
    assertThat(s.publicNet().ipv6().dnsPtr()).isEmpty();
    assertThat(s.serverType().name()).isEqualTo("cx22");
    assertThat(s.serverType().memory()).isEqualTo(4.0);
    assertThat(s.serverType().architecture()).isEqualTo(Architecture.X86);
    assertThat(s.serverType().prices().get(0).priceHourly().net())
        .isEqualByComparingTo(new BigDecimal("0.006"));
    assertThat(s.serverType().prices().get(0).includedTraffic()).isEqualTo(21990232555520L);
    assertThat(s.datacenter().location().name()).isEqualTo("fsn1");
    assertThat(s.location().networkZone()).isEqualTo("eu-central");
    assertThat(s.image().name()).isEqualTo("debian-12");
    assertThat(s.image().imageSize()).isNull();
    assertThat(s.image().createdFrom()).isNull();
    assertThat(s.backupWindow()).isNull();
    assertThat(s.includedTraffic()).isEqualTo(21990232555520L);
    assertThat(s.labels()).isEqualTo(Map.of("role", "builder"));
    assertThat(s.primaryDiskSize()).isEqualTo(40);

    Action a = Json.member(env, "action", Action.class);
    assertThat(a.id()).isEqualTo(1686918417L);
    assertThat(a.status()).isEqualTo(ActionStatus.RUNNING);
    assertThat(a.finished()).isNull();
    assertThat(a.error()).isNull();
    assertThat(a.resources()).containsExactly(new Action.Resource(58231907L, "server"));
    assertThat(Json.list(env, "next_actions", Action.class))
        .extracting(Action::command)
        .containsExactly("start_server");
    assertThat(env.get("root_password").isNull()).isTrue();
  }

  @Test
  void zTimestampsNullableNetsAndHugeTrafficCounters() {
    Server s =
        Json.member(Fixtures.json("server-z-timestamps-huge-traffic.json"), "server", Server.class);

    assertThat(s.id()).isEqualTo(4294967297L);
    assertThat(s.created().toInstant()).isEqualTo(Instant.parse("2026-03-02T10:15:04Z"));
    assertThat(s.publicNet().ipv4()).isNull();
    assertThat(s.ipv4Address()).isEmpty();
    assertThat(s.publicNet().ipv6().id()).isNull();
    assertThat(s.publicNet().ipv6().dnsPtr()).isNull();
    assertThat(s.ipv6HostAddress()).contains("2a01:4f8:1c1e:8d3a::1");
    assertThat(s.outgoingTraffic()).isEqualTo(21990232555520L);
    assertThat(s.ingoingTraffic()).isEqualTo(Long.MAX_VALUE);
    assertThat(s.includedTraffic()).isNull();
    assertThat(s.image()).isNull();
    assertThat(s.datacenter()).isNull();
    assertThat(s.locationName()).contains("fsn1");
    assertThat(s.locked()).isTrue();
    assertThat(s.protection().delete()).isTrue();
    assertThat(s.serverType().memory()).isEqualTo(0.5);
    assertThat(s.serverType().architecture()).isEqualTo(Architecture.ARM);
    assertThat(s.serverType().deprecated()).isNull();
    assertThat(s.serverType().deprecation().announced().toInstant())
        .isEqualTo(Instant.parse("2025-10-01T00:00:00Z"));
    assertThat(s.serverType().deprecation().unavailableAfter().toInstant())
        .isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
    assertThat(s.serverType().locations().get(0).available()).isTrue();
    assertThat(s.privateNet().get(0).macAddress()).isEqualTo("86:00:00:2a:7d:e0");
    assertThat(s.publicNet().firewalls().get(0).status()).isEqualTo("applied");
    assertThat(s.volumes()).containsExactly(1L, 2L);
  }

  @Test
  void listPageKeepsPaginationAndMapsUnknownStatus() {
    Page<Server> page = Json.page(Fixtures.json("servers-page-2.json"), "servers", Server.class);

    assertThat(page.items()).hasSize(2);
    assertThat(page.pagination().page()).isEqualTo(2);
    assertThat(page.pagination().previousPage()).isEqualTo(1);
    assertThat(page.nextPage()).contains(3);
    assertThat(page.pagination().lastPage()).isNull();
    assertThat(page.pagination().totalEntries()).isNull();
    Server a = page.items().get(0);
    assertThat(a.location()).isNull();
    assertThat(a.locationName()).contains("fsn1");
    assertThat(a.outgoingTraffic()).isNull();
    assertThat(a.publicNet().ipv6().dnsPtr().get(0).dnsPtr()).isEqualTo("a6.example");
    Server b = page.items().get(1);
    assertThat(b.status()).isEqualTo(ServerStatus.UNKNOWN);
    assertThat(b.created().getOffset()).isEqualTo(ZoneOffset.ofHours(2));
    assertThat(b.created().getNano()).isEqualTo(123_000_000);
    assertThat(b.publicNet().ipv6()).isNull();
    assertThat(b.ipv6HostAddress()).isEmpty();
    assertThat(b.locationName()).isEmpty();
  }

  @Test
  void createImageResponseHasCreatingSnapshotWithoutName() {
    JsonNode env = Fixtures.json("create-image-response.json");
    Image img = Json.member(env, "image", Image.class);

    assertThat(img.type()).isEqualTo(ImageType.SNAPSHOT);
    assertThat(img.status()).isEqualTo(ImageStatus.CREATING);
    assertThat(img.name()).isNull();
    assertThat(img.imageSize()).isNull();
    assertThat(img.createdFrom()).isEqualTo(new Image.CreatedFrom(58231907L, "x"));
    assertThat(img.labels()).containsEntry("k", "v");
    assertThat(Json.member(env, "action", Action.class).command()).isEqualTo("create_image");
  }

  @Test
  void imageListParsesBackupFields() {
    Page<Image> page = Json.page(Fixtures.json("images-list.json"), "images", Image.class);

    assertThat(page.items()).extracting(Image::id).containsExactly(114690387L, 231500012L);
    Image backup = page.items().get(1);
    assertThat(backup.type()).isEqualTo(ImageType.BACKUP);
    assertThat(backup.boundTo()).isEqualTo(58231907L);
    assertThat(backup.imageSize()).isEqualTo(1.2345);
    assertThat(backup.osVersion()).isNull();
    assertThat(backup.protection().delete()).isTrue();
    assertThat(backup.deprecated().toInstant()).isEqualTo(Instant.parse("2026-05-01T00:00:00Z"));
    assertThat(backup.architecture()).isEqualTo(Architecture.ARM);
    assertThat(page.nextPage()).isEmpty();
  }

  @Test
  void failedActionCarriesItsError() {
    Action a = Json.member(Fixtures.json("action-failed.json"), "action", Action.class);

    assertThat(a.status()).isEqualTo(ActionStatus.ERROR);
    assertThat(a.isDone()).isTrue();
    assertThat(a.progress()).isEqualTo(100);
    assertThat(a.finished().toInstant()).isEqualTo(Instant.parse("2026-03-02T10:21:09Z"));
    assertThat(a.error()).isEqualTo(new Action.Error("action_failed", "Action failed"));
  }

  @Test
  void actionListMixesFinishedAndRunning() {
    Page<Action> page = Json.page(Fixtures.json("actions-list.json"), "actions", Action.class);

    assertThat(page.items()).extracting(Action::isDone).containsExactly(true, false);
    assertThat(page.items().get(1).progress()).isEqualTo(40);
  }

  @Test
  void emptySshKeyListHasExactlySixPaginationKeys() {
    JsonNode env = Fixtures.json("ssh-keys-empty-list.json");
    Page<SshKey> page = Json.page(env, "ssh_keys", SshKey.class);

    assertThat(page.items()).isEmpty();
    assertThat(page.pagination().totalEntries()).isZero();
    assertThat(page.pagination().hasNext()).isFalse();
    assertThat(env.path("meta").path("pagination").size()).isEqualTo(6);
  }

  @Test
  void sshKeyKeepsTrailingNewlineOfPublicKey() {
    SshKey k = Json.member(Fixtures.json("ssh-key.json"), "ssh_key", SshKey.class);

    assertThat(k.fingerprint()).hasSize(47);
    assertThat(k.publicKey()).endsWith("packer\n");
    assertThat(k.labels()).isEmpty();
  }

  @Test
  void locationsParseCoordinatesAndZones() {
    Page<Location> page =
        Json.page(Fixtures.json("locations-list.json"), "locations", Location.class);

    assertThat(page.items())
        .extracting(Location::networkZone)
        .containsExactly("eu-central", "us-east");
    assertThat(page.items().get(1).longitude()).isEqualTo(-77.487073);
  }

  @Test
  void uniquenessErrorMapsCodeAndField() {
    HcloudApiException e =
        Errors.fromResponse(
            "POST", "/servers", 409, Fixtures.bytes("error-uniqueness.json"), "c0ffee");

    assertThat(e.code()).isEqualTo(HcloudErrorCode.UNIQUENESS_ERROR);
    assertThat(e.httpStatus()).isEqualTo(409);
    assertThat(e.apiMessage()).isEqualTo("server name is already used");
    assertThat(e.fields()).extracting(f -> f.name()).containsExactly("name");
    assertThat(e.correlationId()).contains("c0ffee");
    assertThat(e.getMessage()).contains("uniqueness_error", "c0ffee", "POST /servers");
    assertThat(e.isRetryable()).isFalse();
  }

  @Test
  void invalidInputKeepsFieldMessages() {
    HcloudApiException e =
        Errors.fromResponse(
            "PUT", "/images/1", 422, Fixtures.bytes("error-invalid-input.json"), null);

    assertThat(e.code()).isEqualTo(HcloudErrorCode.INVALID_INPUT);
    assertThat(e.fields().get(0).messages())
        .containsExactly("unknown field name 'labelkey'", "key is invalid");
    assertThat(e.correlationId()).isEmpty();
    assertThat(e.isRetryable()).isFalse();
  }

  @Test
  void resourceLimitKeepsLimits() {
    HcloudApiException e =
        Errors.fromResponse(
            "POST", "/servers", 403, Fixtures.bytes("error-resource-limit.json"), null);

    assertThat(e.code()).isEqualTo(HcloudErrorCode.RESOURCE_LIMIT_EXCEEDED);
    assertThat(e.limits()).containsExactly("server_limit");
  }

  @Test
  void unknownCodeIsKeptVerbatim() {
    HcloudApiException e =
        Errors.fromResponse(
            "GET", "/servers", 400, Fixtures.bytes("error-unknown-code.json"), null);

    assertThat(e.code()).isEqualTo(HcloudErrorCode.UNKNOWN);
    assertThat(e.rawCode()).isEqualTo("brand_new_code");
    assertThat(e.isRetryable()).isFalse();
  }

  @Test
  void bareGatewayErrorsAreRetryableWithoutBody() {
    HcloudApiException bad = Errors.fromResponse("GET", "/servers", 502, "<html>".getBytes(), null);
    HcloudApiException gw = Errors.fromResponse("GET", "/servers", 504, new byte[0], null);
    HcloudApiException other = Errors.fromResponse("GET", "/servers", 500, new byte[0], null);

    assertThat(bad.code()).isEqualTo(HcloudErrorCode.UNKNOWN);
    assertThat(bad.isRetryable()).isTrue();
    assertThat(gw.isRetryable()).isTrue();
    assertThat(other.isRetryable()).isFalse();
  }
}
