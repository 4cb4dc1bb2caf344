package dev.goldsmith.support.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.List;
import java.util.concurrent.CompletionException;

import org.junit.jupiter.api.Test;

import dev.goldsmith.events.InvalidEventException;
import dev.goldsmith.hcloud.error.HcloudApiException;
import dev.goldsmith.hcloud.error.HcloudErrorCode;
import dev.goldsmith.hcloud.error.HcloudNetworkException;

class FailuresTest {

  @Test
  void anInvalidEventAnywhereInTheChainIsPoison() {
    Failure f =
        Failures.classify(
            new CompletionException(new InvalidEventException(List.of("payload is empty"))));
    assertThat(f.kind()).isEqualTo(Failure.Kind.POISON);
    assertThat(f.summary()).isEqualTo("InvalidEventException: payload is empty");
  }

  @Test
  void aPoisonExceptionIsPoison() {
    assertThat(Failures.classify(new PoisonException("wrong topic")).poison()).isTrue();
  }

  @Test
  void databaseOutagesAreRetried() {
    assertRetry(new SQLTransientConnectionException("Acquisition timeout"), "database");
    assertRetry(new SQLException("connection refused", "08006"), "database");
    assertRetry(new SQLException("terminating connection (admin shutdown)", "57P01"), "database");
    assertRetry(new SQLException("deadlock detected", "40P01"), "database");
    assertRetry(new SQLException("Sorry, acquisition timeout!"), "database");
    // as Hibernate and Narayana wrap it
    assertRetry(
        new IllegalStateException(
            "could not execute", new RuntimeException(new SQLException("x", "08001"))),
        "database");
  }

  @Test
  void aDataOrIntegrityErrorOfTheDatabaseIsNotADatabaseOutage() {
    assertRetry(new SQLException("duplicate key", "23505"), "unexpected");
    assertRetry(new SQLException("syntax error", "42601"), "unexpected");
  }

  @Test
  void brokerFailuresAreRetried() {
    assertRetry(
        new CompletionException(
            new org.apache.kafka.common.errors.TimeoutException("Topic not present in metadata")),
        "broker");
    assertRetry(new org.apache.kafka.common.errors.NetworkException("gone"), "broker");
  }

  @Test
  void cloudNetworkErrorsAndServerErrorsAreRetried() {
    assertRetry(
        new HcloudNetworkException("GET", "/servers", new ConnectException("refused")), "cloud");
    assertRetry(api(HcloudErrorCode.UNAVAILABLE, 503), "cloud");
    assertRetry(api(HcloudErrorCode.UNKNOWN, 502), "cloud");
  }

  @Test
  void aCloudRefusalIsNotACloudOutage() {
    assertRetry(api(HcloudErrorCode.INVALID_INPUT, 422), "unexpected");
  }

  @Test
  void ioFailuresAreRetried() {
    assertRetry(new UncheckedIOException(new IOException("disk full")), "io");
    assertRetry(new ConnectException("refused"), "io");
    assertRetry(new java.util.concurrent.TimeoutException(), "timeout");
  }

  @Test
  void anythingElseIsRetriedAsUnexpectedNeverDeadLettered() {
    Failure f = Failures.classify(new NullPointerException());
    assertThat(f.kind()).isEqualTo(Failure.Kind.RETRY);
    assertThat(f.dependency()).isEqualTo("unexpected");
    assertThat(f.summary()).isEqualTo("NullPointerException");
  }

  @Test
  void aCyclicCauseChainTerminates() {
    RuntimeException a = new RuntimeException("a");
    RuntimeException b = new RuntimeException("b", a);
    a.initCause(b);
    assertThat(Failures.classify(b).dependency()).isEqualTo("unexpected");
  }

  private static HcloudApiException api(HcloudErrorCode code, int status) {
    return new HcloudApiException(
        code, code.name().toLowerCase(), status, "m", List.of(), List.of(), "c1", "GET", "/x");
  }

  private static void assertRetry(Throwable t, String dependency) {
    Failure f = Failures.classify(t);
    assertThat(f.kind()).as("%s", t).isEqualTo(Failure.Kind.RETRY);
    assertThat(f.dependency()).as("%s", t).isEqualTo(dependency);
  }
}
