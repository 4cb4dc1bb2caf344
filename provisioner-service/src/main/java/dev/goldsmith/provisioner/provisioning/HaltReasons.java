package dev.goldsmith.provisioner.provisioning;

import java.util.concurrent.TimeoutException;

import dev.goldsmith.events.FailureClass;
import dev.goldsmith.hcloud.error.ActionFailedException;
import dev.goldsmith.hcloud.error.ActionVanishedException;
import dev.goldsmith.hcloud.error.ActionWaitTimeoutException;
import dev.goldsmith.hcloud.error.HcloudApiException;
import dev.goldsmith.hcloud.error.HcloudNetworkException;
import dev.goldsmith.hcloud.error.ServerShutdownTimeoutException;
import dev.goldsmith.provisioner.cloud.WaitTimeoutException;

/**
 * Maps a step's exception to the {@link dev.goldsmith.events.FailureClass} wire name that {@code
 * BuildFailed.reasonClass} carries when the step halts the build. Not the consumer's classification
 * ({@link dev.goldsmith.support.messaging.Failures}): that one decides whether a record is retried
 * or dead-lettered; this one names why a build failed.
 */
public final class HaltReasons {
  private HaltReasons() {}

  /** The reason class of a failure: {@code action_failed}, {@code timeout}, {@code api_error}… */
  public static String reasonClass(Throwable e) {
    Throwable t = unwrap(e);
    if (t instanceof ActionFailedException) {
      return FailureClass.ACTION_FAILED.wireName();
    }
    if (t instanceof ActionWaitTimeoutException
        || t instanceof ServerShutdownTimeoutException
        || t instanceof WaitTimeoutException
        || t instanceof TimeoutException) {
      return FailureClass.TIMEOUT.wireName();
    }
    if (t instanceof ActionVanishedException) {
      return FailureClass.ACTION_VANISHED.wireName();
    }
    if (t instanceof HcloudApiException) {
      return FailureClass.API_ERROR.wireName();
    }
    if (t instanceof HcloudNetworkException) {
      return FailureClass.NETWORK_ERROR.wireName();
    }
    return FailureClass.INTERNAL_ERROR.wireName();
  }

  /** A halt for a step's failure; the message names the step and the error (never a secret). */
  public static StepOutcome halt(String stepName, Throwable e) {
    Throwable t = unwrap(e);
    return StepOutcome.halt(
        reasonClass(t), stepName + ": " + t.getClass().getSimpleName() + ": " + t.getMessage(), t);
  }

  static Throwable unwrap(Throwable e) {
    Throwable t = e;
    while ((t instanceof java.util.concurrent.CompletionException
            || t instanceof java.util.concurrent.ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }
}
