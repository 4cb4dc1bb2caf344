package dev.goldsmith.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The goldsmith CLI (its runnable jar, as a process) against the real stack: build --watch to
 * PROMOTED with exit 0, a defective build with its exit code, promote / rollback / revoke as {@code
 * versions} shows them, {@code --output json}. One stack; the second good build and the defective
 * one run at the same time.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CliIT {
  private static final String FAMILY = "vault-base";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static Stack stack;
  private static Map<String, String> cliEnv;
  private static final List<String> versions = new ArrayList<>();
  private static String promotedBuild;

  record Result(int code, String out, String err) {
    JsonNode json() throws IOException {
      return JSON.readTree(out);
    }
  }

  @BeforeAll
  static void startStack() throws Exception {
    Path root = Stack.repoRoot();
    // vault-base keeping one previous promoted version, so there is something to roll back to
    Path families = root.resolve("e2e-tests/target/cli-families");
    Files.createDirectories(families);
    Files.writeString(
        families.resolve("vault-base.yml"),
        Files.readString(root.resolve("ansible/families/vault-base.yml"))
            .replace("keep_previous: 0", "keep_previous: 1"));
    Map<String, String> env = new LinkedHashMap<>();
    env.put("STACK_DIR", root.resolve(".local/e2e-cli").toString());
    // Ports of its own, so a stack of another test class still closing never stands in its way.
    env.put("STACK_KAFKA_PORT", System.getProperty("e2e.cli.kafka.port", "29192"));
    env.put("STACK_PORT_BASE", System.getProperty("e2e.cli.port.base", "28180"));
    env.put("STACK_DB", "goldsmith_e2e");
    env.put("STACK_HOSTS_INSTANCE", System.getProperty("e2e.hosts.instance", "6"));
    env.put("STACK_BUILD", "auto");
    env.put("STACK_FAMILIES_DIR", families.toString());
    env.put(
        "STACK_OPTS_REGISTRY",
        "-Dgoldsmith.registry.families.roles-dir=" + root.resolve("ansible/roles"));
    env.put(
        "STACK_OPTS_VERIFIER",
        "-Dgoldsmith.verifier.channel.deadline=20s -Dgoldsmith.verifier.max-attempts=2");
    stack = new Stack(root, env);
    stack.start();
    cliEnv = new LinkedHashMap<>();
    cliEnv.put("GOLDSMITH_REGISTRY", stack.get("GOLDSMITH_REGISTRY"));
    cliEnv.put("GOLDSMITH_REGISTRY_TOKEN", stack.get("GOLDSMITH_REGISTRY_TOKEN"));
    cliEnv.put("KAFKA_BOOTSTRAP_SERVERS", stack.get("KAFKA_BOOTSTRAP_SERVERS"));
  }

  @AfterAll
  static void stopStack() throws Exception {
    if (stack != null) {
      stack.close();
    }
  }

  /** Runs bin/goldsmith's jar as a process with the stack's env. */
  static Result cli(String... args) throws Exception {
    Path jar = Stack.repoRoot().resolve("goldsmith-cli/target/goldsmith.jar");
    assertThat(jar).as("the CLI jar is built before the e2e tests").exists();
    List<String> cmd =
        new ArrayList<>(List.of("java", "-XX:TieredStopAtLevel=1", "-jar", jar.toString()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(Stack.repoRoot().toFile());
    pb.environment().putAll(cliEnv);
    Process p = pb.start();
    CompletableFuture<String> err =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
              } catch (IOException e) {
                return e.toString();
              }
            });
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(15, TimeUnit.MINUTES)).as("goldsmith %s ended", List.of(args)).isTrue();
    Result r = new Result(p.exitValue(), out, err.get());
    System.out.printf(
        "cli: goldsmith %s -> %d%n%s%s", String.join(" ", args), r.code(), r.out(), r.err());
    return r;
  }

  @Test
  @Order(1)
  void buildWatchFollowsAGoodBuildToPromotedAndExitsZero() throws Exception {
    Result r = cli("build", FAMILY, "--watch");
    assertThat(r.code()).as(r.err()).isZero();
    List<String> lines = r.out().lines().toList();
    assertThat(lines.get(0))
        .matches("\\[ +0s\\] BuildRequested vault-base \\(build [0-9a-f-]{36}\\)");
    assertThat(r.out())
        .containsPattern("\\] accepted: version allocated +\\+\\d+s \\d{8}-v\\d+")
        .containsPattern("\\] provisioned: builder running +\\+\\d+s server \\d+")
        .containsPattern("\\] configured: playbook ran +\\+\\d+s ok, changed=\\d+")
        .containsPattern("\\] snapshotted: builder deleted +\\+\\d+s image \\d+")
        .containsPattern("\\] verified on a fresh server +\\+\\d+s PASSED over ipv4")
        .containsPattern("\\] promoted +\\+\\d+s image \\d+")
        .containsPattern("(?m)^BINARY +root +admin$")
        .containsPattern("(?m)^vault-preflight +ok .* +ok ");
    assertThat(lines.get(lines.size() - 1))
        .matches("PROMOTED: vault-base \\d{8}-v\\d+ promoted as image \\d+");
    // not a terminal: no progress bar escapes
    assertThat(r.out()).doesNotContain("\r", "\033[");
    versions.add(lines.get(lines.size() - 1).split(" ")[2]);
  }

  @Test
  @Order(2)
  void aSecondBuildAndADefectiveOneAtOnceExitWithTheirCodesAndJsonParses() throws Exception {
    CompletableFuture<Result> good =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return cli("--output", "json", "build", FAMILY, "--watch");
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
    Result bad =
        cli(
            "build",
            FAMILY,
            "--watch",
            "--var",
            "publish_binaries_items:=[{\"name\":\"vault-preflight\",\"src\":\"vault-preflight\","
                + "\"mode\":\"0700\"}]");
    assertThat(bad.code()).as(bad.err()).isEqualTo(4);
    assertThat(bad.out())
        .containsPattern("\\] verified on a fresh server +\\+\\d+s ARTIFACT_DEFECT")
        .containsPattern("(?m)^vault-preflight +ok .* +FAIL ")
        .containsPattern("(?m)^DEFECTIVE: vault-base \\d{8}-v\\d+ \\(ARTIFACT_DEFECT\\)");

    Result r = good.get(15, TimeUnit.MINUTES);
    assertThat(r.code()).as(r.err()).isZero();
    JsonNode doc = r.json();
    assertThat(doc.path("status").asText()).isEqualTo("PROMOTED");
    assertThat(doc.path("exitCode").asInt()).isZero();
    assertThat(doc.at("/detail/build/status").asText()).isEqualTo("PROMOTED");
    assertThat(doc.at("/detail/timeline").size()).isGreaterThanOrEqualTo(7);
    // in JSON mode the stage lines go to stderr, stdout is the one document
    assertThat(r.err()).contains("verified on a fresh server");
    versions.add(doc.path("version").asText());
    promotedBuild = doc.path("buildId").asText();
  }

  @Test
  @Order(3)
  void theSameBuildIdAgainGetsTheSameAnswerAndItsManifestWhenTheRegistryHasOne() throws Exception {
    Path manifest = Stack.repoRoot().resolve("e2e-tests/target/cli-manifest.json");
    Files.deleteIfExists(manifest);
    Result r =
        cli(
            "build",
            FAMILY,
            "--build-id",
            promotedBuild,
            "--watch",
            "--manifest",
            manifest.toString());
    assertThat(r.out()).contains("PROMOTED: vault-base " + versions.get(1));
    if (r.code() == 0) {
      JsonNode m = JSON.readTree(Files.readString(manifest));
      assertThat(m.path("builds").isArray()).isTrue();
      assertThat(m.at("/builds/0/artifact_id").asText()).isNotBlank();
    } else {
      // the manifest endpoint is not deployed: one clear line, and no file
      assertThat(r.code()).isEqualTo(1);
      assertThat(r.err().lines()).hasSize(1);
      assertThat(r.err()).startsWith("goldsmith: no manifest for build " + promotedBuild + ": ");
      assertThat(r.err()).contains("(404)");
      assertThat(manifest).doesNotExist();
    }
  }

  @Test
  @Order(4)
  void promoteRollbackAndRevokeChangeWhatVersionsShows() throws Exception {
    String first = versions.get(0);
    String second = versions.get(1);
    assertThat(status(first)).isEqualTo("SUPERSEDED");
    assertThat(status(second)).isEqualTo("PROMOTED");
    Result text = cli("versions", FAMILY);
    assertThat(text.out()).containsPattern("\\* " + second + " +PROMOTED");

    Result back = cli("rollback", FAMILY, "--reason", "cli e2e: back to the first");
    assertThat(back.code()).as(back.err()).isZero();
    assertThat(back.out()).contains("vault-base rolled back to " + first + " (status PROMOTED");
    assertThat(status(first)).isEqualTo("PROMOTED");
    assertThat(status(second)).isEqualTo("SUPERSEDED");

    Result forward = cli("promote", FAMILY, second, "--reason", "cli e2e: forward again");
    assertThat(forward.code()).as(forward.err()).isZero();
    assertThat(status(second)).isEqualTo("PROMOTED");

    Result revoke = cli("revoke", FAMILY, first, "--reason", "cli e2e: withdrawn");
    assertThat(revoke.code()).as(revoke.err()).isZero();
    assertThat(status(first)).isEqualTo("REVOKED");
    assertThat(cli("versions", FAMILY).out())
        .containsPattern(first + " +REVOKED .*cli e2e: withdrawn");

    // the promoted version cannot be revoked: one problem line, exit 1
    Result refused = cli("revoke", FAMILY, second, "--reason", "no");
    assertThat(refused.code()).isEqualTo(1);
    assertThat(refused.err().lines()).hasSize(1);
    assertThat(refused.err())
        .startsWith("goldsmith: ")
        .contains("(409)")
        .doesNotContain("Exception");

    Result builds = cli("-o", "json", "builds", "--family", FAMILY, "--status", "DEFECTIVE");
    assertThat(builds.json().path("items").size()).isEqualTo(1);
  }

  @Test
  @Order(5)
  void familyValidateListsEveryErrorOfABrokenFamily() throws Exception {
    Path broken = Stack.repoRoot().resolve("e2e-tests/target/cli-broken/broken.yml");
    Files.createDirectories(broken.getParent());
    Files.writeString(
        broken,
        Files.readString(Stack.repoRoot().resolve("ansible/families/vault-base.yml"))
            .replace("network_mode: ipv4", "network_mode: ipv5")
            .replace("keep_previous: 0", "keep_previous: 99"));
    Result r =
        cli(
            "family",
            "validate",
            broken.toString(),
            "--roles-dir",
            Stack.repoRoot().resolve("ansible/roles").toString());
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.out())
        .contains(": 3 errors")
        .contains("name: 'vault-base' differs from the file name 'broken.yml'")
        .contains("network_mode: network mode must be one of ipv4, ipv6, auto (was 'ipv5')")
        .contains("keep_previous: must be an integer from 0 to 10");
  }

  private static String status(String version) throws Exception {
    Result r = cli("-o", "json", "versions", FAMILY);
    assertThat(r.code()).as(r.err()).isZero();
    for (JsonNode v : r.json().path("items")) {
      if (v.path("version").asText().equals(version)) {
        return v.path("status").asText();
      }
    }
    throw new AssertionError("no version " + version + " in " + r.out());
  }
}
