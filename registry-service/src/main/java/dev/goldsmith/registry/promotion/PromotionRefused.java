package dev.goldsmith.registry.promotion;

/** A promotion or revocation an operator asked for that the registry's rules refuse. */
public class PromotionRefused extends RuntimeException {
  /** Why. */
  public enum Reason {
    NOT_FOUND,
    CONFLICT
  }

  private final Reason reason;

  public PromotionRefused(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
