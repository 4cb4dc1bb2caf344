package dev.goldsmith.verifier.verification;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import org.jboss.logging.Logger;

import dev.goldsmith.events.AccessDeclaration;
import dev.goldsmith.events.UserBinaries;
import dev.goldsmith.events.Verdict;
import dev.goldsmith.events.VerificationReport;
import dev.goldsmith.events.VerificationReport.BinaryResult;
import dev.goldsmith.events.VerificationReport.CheckResult;
import dev.goldsmith.support.cloud.GoldsmithLabels;
import dev.goldsmith.support.messaging.Failures;
import dev.goldsmith.support.ssh.SshKeyPair;
import dev.goldsmith.support.ssh.SshPublicKey;
import dev.goldsmith.support.tracing.BuildTraces;
import dev.goldsmith.verifier.access.AccessAudit;
import dev.goldsmith.verifier.access.ListingException;
import dev.goldsmith.verifier.channel.Channel;
import dev.goldsmith.verifier.channel.ChannelSelector;
import dev.goldsmith.verifier.check.AuthorizedKeysPolicy;
import dev.goldsmith.verifier.check.ImageCheck;
import dev.goldsmith.verifier.check.MatrixCheck;
import dev.goldsmith.verifier.check.UserInfo;
import dev.goldsmith.verifier.cloud.CloudInitUserData;
import dev.goldsmith.verifier.cloud.CloudUnavailableException;
import dev.goldsmith.verifier.cloud.InfraException;
import dev.goldsmith.verifier.cloud.TestServer;
import dev.goldsmith.verifier.cloud.TestServerRequest;
import dev.goldsmith.verifier.cloud.TestServers;
import dev.goldsmith.verifier.ssh.CommandTimeoutException;
import dev.goldsmith.verifier.ssh.RemoteShell;
import dev.goldsmith.verifier.ssh.SshConnectException;
import dev.goldsmith.verifier.ssh.SshConnector;
import dev.goldsmith.verifier.ssh.StrictShell;
import dev.goldsmith.verifier.ssh.TracingShell;

/**
 * Verifies one image: boots a fresh test server from it with a generated host key, finds a channel,
 * runs the matrix and the image checks over SSH, and always deletes the server. Channel and cloud
 * failures are retried with a fresh server up to {@code maxAttempts}; only a completed check run
 * can reject the image.
 */
public final class ImageVerifier {

  private static final Logger LOG = Logger.getLogger(ImageVerifier.class);
  static final String HOST_KEY_COMMENT = "goldsmith-test-host";

  private final TestServers cloud;
  private final SshConnector ssh;
  private final ChannelSelector channels;
  private final VerifierSettings settings;
  private final SshPublicKey ownKey;
  private final long ownKeyId;

  public ImageVerifier(
      TestServers cloud,
      SshConnector ssh,
      ChannelSelector channels,
      VerifierSettings settings,
      SshPublicKey ownKey,
      long ownKeyId) {
    this.cloud = cloud;
    this.ssh = ssh;
    this.channels = channels;
    this.settings = settings;
    this.ownKey = ownKey;
    this.ownKeyId = ownKeyId;
  }

  /** The result of one attempt on one fresh server. */
  record Attempt(Verdict verdict, String family, VerificationReport report, String note) {}

  /**
   * Runs the verification. Channel failures and lasting cloud failures (a server that does not
   * start) are verdicts after {@code maxAttempts}; a cloud API that is unavailable is not.
   *
   * @throws CloudUnavailableException when the cloud API is unavailable (network, 5xx, timeout): no
   *     verdict, the caller retries later; the servers made so far are deleted or labelled
   * @throws InterruptedException on shutdown: no verdict, the server is deleted first
   */
  public VerificationOutcome verify(VerificationRequest req) throws InterruptedException {
    long start = System.nanoTime();
    deleteLeftovers(req, "before the first attempt");
    List<String> notes = new ArrayList<>();
    Attempt last = null;
    int n = 0;
    try {
      while (n < Math.max(1, settings.maxAttempts())) {
        n++;
        last = attempt(req, n);
        if (Thread.currentThread().isInterrupted()) {
          // Shutdown: the attempt's server is deleted; no verdict comes of an interrupted run.
          throw new InterruptedException(
              "verification interrupted buildId=" + req.buildId() + " attempt=" + n);
        }
        LOG.infof(
            "verification attempt buildId=%s imageId=%d attempt=%d verdict=%s note=%s",
            req.buildId(), req.imageId(), n, last.verdict(), last.note());
        if (last.verdict() == Verdict.PASSED || last.verdict() == Verdict.ARTIFACT_DEFECT) {
          break;
        }
        notes.add(last.verdict() + ": " + last.note());
      }
    } finally {
      deleteLeftovers(req, "after the last attempt");
    }
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    VerificationReport report = last.report();
    if (last.verdict() == Verdict.CHANNEL_FAILURE || last.verdict() == Verdict.INFRA_FAILURE) {
      List<CheckResult> checks = new ArrayList<>();
      for (int i = 0; i < notes.size(); i++) {
        checks.add(new CheckResult("attempt " + (i + 1), false, notes.get(i)));
      }
      report =
          new VerificationReport(
              List.of(),
              checks,
              (last.verdict() == Verdict.CHANNEL_FAILURE ? "channel failure" : "infra failure")
                  + " after "
                  + n
                  + " attempt(s): "
                  + last.note());
    }
    return new VerificationOutcome(last.verdict(), last.family(), report, n, took);
  }

  Attempt attempt(VerificationRequest req, int n) throws InterruptedException {
    SshKeyPair hostKey = SshKeyPair.generateEd25519(HOST_KEY_COMMENT);
    SshPublicKey pinned = hostKey.publicKey();
    String name = n == 1 ? req.serverName() : req.serverName() + "-" + n;
    TestServer server = null;
    try {
      server =
          cloud.create(
              new TestServerRequest(
                  name,
                  req.serverType(),
                  req.location(),
                  req.imageId(),
                  ownKeyId,
                  CloudInitUserData.render(hostKey),
                  labels(req, n)));
      LOG.infof(
          "test server created buildId=%s serverId=%d name=%s imageId=%d",
          req.buildId(), server.id(), name, req.imageId());
      server = cloud.awaitRunning(server.id(), settings.runningTimeout());
      Channel channel = channels.select(server, req.networkMode(), 22);
      if (!channel.established()) {
        return failure(Verdict.CHANNEL_FAILURE, null, channel.detail());
      }
      try (RemoteShell shell =
          StrictShell.of(
              ssh.connect(channel.host(), 22, channel.family(), pinned, settings.sshTimeout()))) {
        return checks(req, new TracingShell(shell, BuildTraces.shared()), channel);
      } catch (CommandTimeoutException e) {
        // The session was up and then stopped answering: the path, not the image.
        noteInterrupt(e);
        return failure(
            Verdict.CHANNEL_FAILURE,
            channel.family(),
            channel.detail() + "; the session stalled during checks: " + e.getMessage());
      } catch (ListingException e) {
        // The server answered, but a listing the audit needs did not: no verdict about the image.
        return failure(
            Verdict.CHANNEL_FAILURE,
            channel.family(),
            channel.detail() + "; a listing of the access audit failed: " + e.getMessage());
      } catch (SshConnectException e) {
        noteInterrupt(e);
        return failure(
            Verdict.CHANNEL_FAILURE,
            channel.family(),
            channel.detail() + "; " + e.reason() + ": " + e.getMessage());
      } catch (IOException e) {
        noteInterrupt(e);
        return failure(
            Verdict.CHANNEL_FAILURE,
            channel.family(),
            channel.detail() + "; connection failed during checks: " + e.getMessage());
      }
    } catch (InfraException e) {
      if (noteInterrupt(e)) {
        return failure(Verdict.INFRA_FAILURE, null, "interrupted");
      }
      if (cloudUnavailable(e)) {
        throw new CloudUnavailableException(e.getMessage(), e);
      }
      return failure(Verdict.INFRA_FAILURE, null, e.getMessage());
    } catch (RuntimeException e) {
      if (noteInterrupt(e)) {
        return failure(Verdict.INFRA_FAILURE, null, "interrupted");
      }
      LOG.warnf(e, "unexpected error in attempt buildId=%s attempt=%d", req.buildId(), n);
      return failure(Verdict.INFRA_FAILURE, null, "unexpected error: " + e);
    } finally {
      if (server != null) {
        deleteQuietly(req, server.id());
      }
    }
  }

  private Attempt checks(VerificationRequest req, RemoteShell shell, Channel channel)
      throws IOException {
    ImageCheck image = new ImageCheck(settings.commandTimeout());
    MatrixCheck matrix = new MatrixCheck(settings.commandTimeout(), settings.probeTimeout());
    Set<String> users = new LinkedHashSet<>();
    req.matrix().users().forEach(u -> users.add(u.user()));
    Map<String, Optional<UserInfo>> infos = new LinkedHashMap<>();
    for (String u : users) {
      infos.put(u, image.userInfo(shell, u));
    }
    List<UserBinaries> cells = req.matrix().users();
    List<BinaryResult> binaries = matrix.run(shell, cells, infos);
    AuthorizedKeysPolicy policy = new AuthorizedKeysPolicy(cloud.buildKeys(), ownKey);
    List<CheckResult> checks = new ArrayList<>(image.run(shell, req.matrix().image(), policy));
    // A matrix file read without validation (test-image.sh --matrix) may lack it: nothing declared.
    AccessDeclaration declared =
        Objects.requireNonNullElse(req.matrix().image().access(), AccessDeclaration.NONE);
    AccessAudit.Result access =
        new AccessAudit(settings.commandTimeout()).run(shell, declared, policy, declaredUsers(req));
    checks.add(access.check());
    VerificationReport report =
        Reports.checked(
            binaries, checks, access.rows(), channel.detail() + " (" + shell.endpoint() + ")");
    Verdict verdict = Reports.verdictOf(binaries, checks, access.rows());
    return new Attempt(verdict, channel.family(), report, report.summary());
  }

  /** The users a family names: its image users and the matrix's target users. */
  static Set<String> declaredUsers(VerificationRequest req) {
    Set<String> names = new LinkedHashSet<>();
    req.matrix().image().users().forEach(u -> names.add(u.name()));
    req.matrix().users().forEach(u -> names.add(u.user()));
    return names;
  }

  private static Attempt failure(Verdict verdict, String family, String note) {
    return new Attempt(
        verdict,
        family,
        new VerificationReport(List.of(), List.of(new CheckResult("channel", false, note)), note),
        note);
  }

  /** Labels of a test server: the janitor finds anything left after a crash by them. */
  static Map<String, String> labels(VerificationRequest req, int attempt) {
    Map<String, String> l = new LinkedHashMap<>();
    l.putAll(
        GoldsmithLabels.testServer(
            req.buildId(), req.family(), req.version(), attempt, Instant.now()));
    if (req.installationId() != null) {
      l.put(GoldsmithLabels.INSTALLATION, req.installationId());
    }
    return l;
  }

  private void deleteLeftovers(VerificationRequest req, String when) {
    boolean interrupted = Thread.interrupted();
    try {
      deleteLeftoversNow(req, when);
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void deleteLeftoversNow(VerificationRequest req, String when) {
    List<TestServer> found;
    try {
      found = cloud.findTestServers(req.buildId());
    } catch (RuntimeException e) {
      LOG.warnf(
          "cannot list test servers %s buildId=%s: %s (the janitor removes leftovers by label)",
          when, req.buildId(), e.getMessage());
      return;
    }
    for (TestServer s : found) {
      // A test server from an earlier delivery cannot be reused: its host private key lived only
      // in the memory of the run that created it, so its host key cannot be pinned.
      LOG.infof(
          "deleting leftover test server %s buildId=%s serverId=%d name=%s",
          when, req.buildId(), s.id(), s.name());
      deleteNow(req, s.id());
    }
  }

  /**
   * True when {@code e} came of an interrupt (shutdown); sets the thread's flag again, since the
   * layers below may have swallowed it, so the caller ends the run without a verdict.
   */
  static boolean noteInterrupt(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof InterruptedException || t instanceof InterruptedIOException) {
        Thread.currentThread().interrupt();
        return true;
      }
    }
    return Thread.currentThread().isInterrupted();
  }

  /** A cloud API that does not answer (network, 5xx, retryable code), not a lasting failure. */
  static boolean cloudUnavailable(InfraException e) {
    return "cloud".equals(Failures.classify(e).dependency());
  }

  private void deleteQuietly(VerificationRequest req, long serverId) {
    // Cleanup also runs on shutdown: the interrupt must not cancel the delete itself.
    boolean interrupted = Thread.interrupted();
    try {
      deleteNow(req, serverId);
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void deleteNow(VerificationRequest req, long serverId) {
    try {
      cloud.delete(serverId, settings.deleteTimeout());
      LOG.infof("test server deleted buildId=%s serverId=%d", req.buildId(), serverId);
    } catch (RuntimeException e) {
      LOG.warnf(
          "could not delete test server buildId=%s serverId=%d: %s; delete it manually (labels"
              + " goldsmith.dev/role=test, build-id=%s)",
          req.buildId(), serverId, e.getMessage(), req.buildId());
    }
  }
}
