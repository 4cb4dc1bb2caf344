package dev.goldsmith.verifier.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.goldsmith.events.NetworkMode;

class TestImageArgsTest {

  @Test
  void parsesTheSeedsArguments() {
    TestImageArgs a =
        TestImageArgs.parse(
            List.of(
                "--image-id",
                "123",
                "--server-name",
                "check-1",
                "--family",
                "vault-base",
                "--network-mode",
                "auto"));
    assertThat(a.imageId()).isEqualTo(123);
    assertThat(a.serverName()).isEqualTo("check-1");
    assertThat(a.family()).isEqualTo("vault-base");
    assertThat(a.networkMode()).isEqualTo(NetworkMode.AUTO);
    assertThat(a.familiesDir()).isEqualTo(Path.of("ansible/families"));
  }

  @Test
  void reportsEveryProblemAtOnce() {
    assertThatThrownBy(
            () ->
                TestImageArgs.parse(
                    List.of("--image-id", "x", "--server-name", "Bad_Name", "--bogus")))
        .hasMessageContaining("--image-id needs a numeric image id")
        .hasMessageContaining("--server-name is required")
        .hasMessageContaining("unknown argument --bogus")
        .hasMessageContaining("exactly one of --family and --matrix");
  }
}
