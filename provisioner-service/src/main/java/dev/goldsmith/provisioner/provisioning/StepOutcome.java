package dev.goldsmith.provisioner.provisioning;

/**
 * What a step asks of the runner: go on, or halt the run with a stable reason class and a message.
 *
 * @param reasonClass e.g. {@code action_failed}, {@code ssh_key_missing}; null when proceeding
 * @param cause the exception behind a halt, may be null
 */
public record StepOutcome(boolean proceeds, String reasonClass, String message, Throwable cause) {

  private static final StepOutcome PROCEED = new StepOutcome(true, null, null, null);

  public static StepOutcome proceed() {
    return PROCEED;
  }

  public static StepOutcome halt(String reasonClass, String message) {
    return new StepOutcome(false, reasonClass, message, null);
  }

  public static StepOutcome halt(String reasonClass, String message, Throwable cause) {
    return new StepOutcome(false, reasonClass, message, cause);
  }
}
