package dev.goldsmith.verifier.service;

import java.util.Optional;
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
import dev.goldsmith.support.ssh.SshKeyFile;
import dev.goldsmith.support.ssh.SshPublicKey;
import dev.goldsmith.verifier.channel.ChannelSelector;
import dev.goldsmith.verifier.channel.TcpPortProbe;
import dev.goldsmith.verifier.cloud.CloudUnavailableException;
import dev.goldsmith.verifier.cloud.InfraException;
import dev.goldsmith.verifier.cloud.TestServers;
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
  private final SshKeyFile ownKey;
  private final VerifierSettings settings;
  private final MeterRegistry meters;
  private final SshjConnector ssh;
  private final AtomicInteger inFlight = new AtomicInteger();
  private volatile Long ownKeyId;

  @Inject
  public VerificationService(
      TestServers cloud, SshKeyFile ownKey, VerifierSettings settings, MeterRegistry meters) {
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

  /**
   * Registers the verifier's public key as a Hetzner SSH key (once; idempotent by fingerprint);
   * returns its id.
   *
   * @throws InfraException when the API does not answer
   */
  public synchronized long ensureKeyRegistered() {
    if (ownKeyId == null) {
      ownKeyId = cloud.ensureSshKey(ownKey.publicKey());
      Log.infof(
          "verifier SSH key registered sshKeyId=%d fingerprint=%s",
          ownKeyId, ownKey.publicKey().md5Fingerprint());
    }
    return ownKeyId;
  }

  /** The id of the registered key, empty until registration succeeded (readiness only looks). */
  public Optional<Long> registeredKeyId() {
    return Optional.ofNullable(ownKeyId);
  }

  /** The verifier's public key. */
  public SshPublicKey ownKey() {
    return ownKey.publicKey();
  }

  /**
   * Runs one verification.
   *
   * @throws CloudUnavailableException when the cloud API is unavailable (registering the key,
   *     creating a test server): no verdict, the caller retries later
   * @throws InterruptedException on shutdown: no verdict, the test servers are deleted (or found
   *     again by label on the next delivery)
   */
  public VerificationOutcome verify(VerificationRequest req) throws InterruptedException {
    inFlight.incrementAndGet();
    VerificationOutcome outcome;
    try {
      long keyId;
      try {
        keyId = ensureKeyRegistered();
      } catch (InfraException e) {
        throw new CloudUnavailableException(
            "cannot register the verifier SSH key: " + e.getMessage(), e);
      }
      ImageVerifier verifier =
          new ImageVerifier(
              cloud,
              ssh,
              new ChannelSelector(new TcpPortProbe(), settings.channel()),
              settings,
              ownKey.publicKey(),
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
