package dev.goldsmith.verifier.service;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.logging.Log;

import dev.goldsmith.events.Verdict;
import dev.goldsmith.events.VerificationReport;
import dev.goldsmith.events.VerificationReport.CheckResult;
import dev.goldsmith.verifier.channel.ChannelSelector;
import dev.goldsmith.verifier.channel.TcpPortProbe;
import dev.goldsmith.verifier.cloud.InfraException;
import dev.goldsmith.verifier.cloud.TestServers;
import dev.goldsmith.verifier.ssh.OpenSshKeyPair;
import dev.goldsmith.verifier.ssh.PublicKeyLine;
import dev.goldsmith.verifier.ssh.SshjConnector;
import dev.goldsmith.verifier.verification.ImageVerifier;
import dev.goldsmith.verifier.verification.Reports;
import dev.goldsmith.verifier.verification.VerificationOutcome;
import dev.goldsmith.verifier.verification.VerificationRequest;
import dev.goldsmith.verifier.verification.VerifierSettings;

/**
 * The verification as the service and the command line run it: registers the verifier's key (once,
 * idempotent), runs {@link ImageVerifier}, records metrics and logs the matrix.
 */
@ApplicationScoped
public class VerificationService {

  private final TestServers cloud;
  private final OpenSshKeyPair ownKey;
  private final VerifierSettings settings;
  private final MeterRegistry meters;
  private final SshjConnector ssh;
  private final AtomicInteger inFlight = new AtomicInteger();
  private volatile Long ownKeyId;

  @Inject
  public VerificationService(
      TestServers cloud, OpenSshKeyPair ownKey, VerifierSettings settings, MeterRegistry meters) {
    this.cloud = cloud;
    this.ownKey = ownKey;
    this.settings = settings;
    this.meters = meters;
    this.ssh = new SshjConnector(ownKey);
    meters.gauge("goldsmith.verifier.in.flight", inFlight);
    for (Verdict v : Verdict.values()) {
      // Register every verdict at zero so dashboards see all four series from the start.
      verdicts(v);
    }
  }

  /** Registers the verifier's public key as a Hetzner SSH key; returns its id. */
  public synchronized long ensureKeyRegistered() {
    if (ownKeyId == null) {
      ownKeyId = cloud.ensureSshKey(PublicKeyLine.parse(ownKey.publicKeyLine()));
      Log.infof(
          "verifier SSH key registered sshKeyId=%d fingerprint=%s",
          ownKeyId, ownKey.md5Fingerprint());
    }
    return ownKeyId;
  }

  /** Runs one verification; never throws for cloud or channel problems. */
  public VerificationOutcome verify(VerificationRequest req) throws InterruptedException {
    inFlight.incrementAndGet();
    long start = System.nanoTime();
    VerificationOutcome outcome;
    try {
      long keyId;
      try {
        keyId = ensureKeyRegistered();
      } catch (InfraException e) {
        String note = "cannot register the verifier SSH key: " + e.getMessage();
        outcome =
            new VerificationOutcome(
                Verdict.INFRA_FAILURE,
                null,
                new VerificationReport(
                    List.of(), List.of(new CheckResult("ssh key", false, note)), note),
                1,
                Duration.ofNanos(System.nanoTime() - start));
        record(req, outcome);
        return outcome;
      }
      ImageVerifier verifier =
          new ImageVerifier(
              cloud,
              ssh,
              new ChannelSelector(new TcpPortProbe(), settings.channel()),
              settings,
              PublicKeyLine.parse(ownKey.publicKeyLine()),
              keyId);
      outcome = verifier.verify(req);
      record(req, outcome);
      return outcome;
    } finally {
      inFlight.decrementAndGet();
    }
  }

  private void record(VerificationRequest req, VerificationOutcome o) {
    verdicts(o.verdict()).increment();
    Timer.builder("goldsmith.verifier.verification.duration")
        .description("Wall time of a verification, all attempts included")
        .tag("verdict", o.verdict().name())
        .register(meters)
        .record(o.duration().toNanos(), TimeUnit.NANOSECONDS);
    DistributionSummary.builder("goldsmith.verifier.attempts")
        .description("Fresh servers used per verification")
        .register(meters)
        .record(o.attempts());
    String matrix = Reports.render(o.verdict(), o.addressFamily(), o.attempts(), o.report());
    Log.infof(
        "verification finished buildId=%s imageId=%d verdict=%s family=%s attempts=%d"
            + " durationMs=%d%n%s",
        req.buildId(),
        req.imageId(),
        o.verdict(),
        o.addressFamily(),
        o.attempts(),
        o.duration().toMillis(),
        matrix);
  }

  private Counter verdicts(Verdict v) {
    return Counter.builder("goldsmith.verifier.verdicts")
        .description("Verifications finished, by verdict")
        .tag("verdict", v.name())
        .register(meters);
  }
}
