package dev.goldsmith.events;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.goldsmith.events.BuildFailed.ResourceRef;
import dev.goldsmith.events.VerificationReport.AccessResult;
import dev.goldsmith.events.VerificationReport.BinaryResult;
import dev.goldsmith.events.VerificationReport.CheckResult;

/** One valid example of every event, shared by the tests. */
public final class SampleEvents {
  public static final UUID BUILD = UUID.fromString("5f0c8c4e-2a57-4c1e-9a43-0d7b1a3e9c11");
  public static final Instant AT = Instant.parse("2026-11-25T10:15:30Z");

  /** A real Ed25519 public host key (type and blob), as BuilderReady carries it. */
  public static final String HOST_KEY =
      "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIDbjAa9kqxzfxropLPkFPAo0nzm0sSk7KTtaKYR1fHFq";

  /** What a configurator records about a playbook run. */
  public static final Provenance CONFIGURED =
      Provenance.configured(
          "c61c3a77114f603189b12fdf86c96583e3bb5fc2",
          false,
          "4d2c9a0e7b1f3c5a8e6d4b2a0f9e7c5b3a1d8f6e4c2b0a9e7d5c3b1a0f8e6d4c",
          "e3b7a1c9d5f2e8b4a6c0d2f4e6a8b0c2d4e6f8a0b2c4d6e8f0a2b4c6d8e0f2a4");

  private SampleEvents() {}

  public static BuildSpec spec() {
    BinaryCheck podman = new BinaryCheck("podman", List.of("--version"), List.of("/usr/bin"));
    BinaryCheck preflight =
        new BinaryCheck("vault-preflight", List.of("--version"), List.of("/usr/local/bin"));
    Map<String, Object> vars = new LinkedHashMap<>();
    vars.put("runtime_baseline_extra_packages", List.of("htop"));
    return new BuildSpec(
        "vault-base",
        "20261125-v1",
        "debian-12",
        "cx23",
        "fsn1",
        "golden-image.yml",
        vars,
        new VerificationMatrix(
            List.of(
                new UserBinaries("root", List.of(podman, preflight)),
                new UserBinaries("admin", List.of(podman, preflight))),
            new ImageChecks(
                List.of(
                    new ExpectedUser("admin", "/bin/bash", List.of("sudo"), false, true),
                    new ExpectedUser("vault", "/usr/sbin/nologin", List.of(), true, false)),
                Map.of("passwordauthentication", "no"),
                List.of("/root/.bash_history"),
                new AccessDeclaration(
                    Map.of("root", List.of(), "admin", List.of()),
                    new AccessDeclaration.Sudoers(
                        Map.of("sudo", List.of("admin")), List.of("README"), List.of()),
                    List.of(new AccessDeclaration.Listening("tcp", 22))))),
        NetworkMode.IPV4,
        0);
  }

  public static List<PipelineEvent> all() {
    BuildSpec spec = spec();
    return List.of(
        new BuildRequested(
            BUILD,
            "vault-base",
            new BuildOverrides(null, null, null, null, NetworkMode.IPV6, Map.of("x_debug", true)),
            "ci/pipeline-42",
            AT),
        new BuildAccepted(BUILD, spec, AT),
        new BuildRejected(
            BUILD, List.of("family: unknown family 'vault-bse'"), "{\"family\":\"vault-bse\"}", AT),
        new BuilderReady(BUILD, spec, 42L, "10.213.0.7", "fd00:213:0:7::1", HOST_KEY, AT),
        new BuilderConfigured(
            BUILD,
            spec,
            42L,
            BuilderConfigured.Outcome.OK,
            null,
            null,
            null,
            17,
            "/var/lib/goldsmith/configurator/runs/5f0c/ansible.log",
            CONFIGURED,
            AT),
        new SnapshotCreated(
            BUILD,
            spec,
            9001L,
            0.42,
            Provenance.withSourceImage(CONFIGURED, 114690387L, "debian-12"),
            AT),
        new VerificationFinished(
            BUILD,
            spec,
            9001L,
            Verdict.ARTIFACT_DEFECT,
            "ipv4",
            new VerificationReport(
                List.of(
                    new BinaryResult(
                        "root",
                        "vault-preflight",
                        "/root/.local/bin/vault-preflight",
                        "vault-preflight 1.0.0",
                        0,
                        12,
                        false,
                        "path outside allowed prefixes"),
                    new BinaryResult(
                        "admin",
                        "vault-preflight",
                        null,
                        null,
                        127,
                        9,
                        false,
                        "not found on login PATH")),
                List.of(new CheckResult("sshd.passwordauthentication", true, "no")),
                "admin cannot run vault-preflight",
                List.of(
                    new AccessResult(
                        "root", "listening", "tcp 0.0.0.0:22 (sshd)", true, "declared tcp/22"),
                    new AccessResult(
                        "admin",
                        "authorized_key",
                        "ssh-ed25519 MD5:3f:1a:9c:00:5e:7d:11:42:aa:0b:c4:de:21:90:6f:88 in"
                            + " /home/admin/.ssh/authorized_keys",
                        false,
                        "not declared for admin"))),
            1,
            Provenance.withReportSha256(
                Provenance.withSourceImage(CONFIGURED, 114690387L, "debian-12"),
                "9b1e5c0f3a7d2e4b6c8a0f1e3d5b7a9c2e4f6a8b0c1d3e5f7a9b2c4d6e8f0a1b"),
            AT),
        new ImagePromoted(BUILD, "vault-base", "20261125-v1", 9001L, 8999L, AT, AT),
        new BuildFailed(
            BUILD,
            "vault-base",
            "20261125-v1",
            BuildFailed.Stage.SNAPSHOT,
            FailureClass.ACTION_FAILED,
            "create_image ended in error: disk busy",
            List.of(new ResourceRef(ResourceRef.Kind.SERVER, 42L)),
            AT));
  }
}
