package dev.goldsmith.provisioner.provisioning;

import java.util.concurrent.TimeoutException;

import dev.goldsmith.hcloud.error.ActionFailedException;
import dev.goldsmith.hcloud.error.ActionVanishedException;
import dev.goldsmith.hcloud.error.ActionWaitTimeoutException;
import dev.goldsmith.hcloud.error.HcloudApiException;
import dev.goldsmith.hcloud.error.HcloudNetworkException;
import dev.goldsmith.hcloud.error.ServerShutdownTimeoutException;
import dev.goldsmith.provisioner.cloud.WaitTimeoutException;

/** Maps exceptions to the stable reason classes of BuildFailed. */
public final class Failures {
  private Failures() {}

  /** The reason class of a failure: {@code action_failed}, {@code timeout}, {@code api_error}… */
  public static String reasonClass(Throwable e) {
    Throwable t = unwrap(e);
    if (t instanceof ActionFailedException) {
      return "action_failed";
    }
    if (t instanceof ActionWaitTimeoutException
        || t instanceof ServerShutdownTimeoutException
        || t instanceof WaitTimeoutException
        || t instanceof TimeoutException) {
      return "timeout";
    }
    if (t instanceof ActionVanishedException) {
      return "action_vanished";
    }
    if (t instanceof HcloudApiException) {
      return "api_error";
    }
    if (t instanceof HcloudNetworkException) {
      return "network_error";
    }
    return "internal_error";
  }

  /** A halt for a step's failure; the message names the step and the error (never a secret). */
  public static StepOutcome halt(String stepName, Throwable e) {
    Throwable t = unwrap(e);
    return StepOutcome.halt(
        reasonClass(t), stepName + ": " + t.getClass().getSimpleName() + ": " + t.getMessage(), t);
  }

  private static Throwable unwrap(Throwable e) {
    Throwable t = e;
    while ((t instanceof java.util.concurrent.CompletionException
            || t instanceof java.util.concurrent.ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }
}
