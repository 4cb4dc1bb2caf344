package dev.goldsmith.support.messaging;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** How the consumer helper retries a record whose dependency failed. */
@ConfigMapping(prefix = "goldsmith.consumer")
public interface ConsumerSettings {

  /** The in-place retry of records whose dependency failed. */
  Retry retry();

  /** Backoff of the in-place retry. */
  interface Retry {
    /** The wait after the first failure. */
    @WithDefault("1s")
    Duration initialDelay();

    /** The longest wait between two attempts (the cap of the exponential backoff). */
    @WithDefault("30s")
    Duration maxDelay();

    /** Growth of the wait per attempt. */
    @WithDefault("2")
    double multiplier();

    /** Fraction of each wait randomised away, in [0, 1). */
    @WithDefault("0.2")
    double jitter();
  }

  /** The backoff these settings describe. */
  default Backoff backoff() {
    return new Backoff(
        retry().initialDelay(), retry().maxDelay(), retry().multiplier(), retry().jitter());
  }
}
