package dev.goldsmith.support.messaging;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The connector settings an incoming channel needs for the consumer policy to hold, checked from
 * configuration: {@code failure-strategy=dead-letter-queue} (a nack parks the record instead of
 * stopping the channel) and, with the throttled commit strategy (the default), {@code
 * throttled.unprocessed-record-max-age.ms=0}: the connector otherwise treats a record waiting
 * longer than that (60 s by default) as a fatal failure and closes the consumer, which is exactly
 * what an in-place retry during an outage does. {@link ConsumerHealth} reports the waiting records
 * instead.
 */
public final class ChannelChecks {
  private ChannelChecks() {}

  /** Problems of channel {@code channel}, empty when sound; {@code config} looks keys up. */
  public static List<String> problems(String channel, Function<String, Optional<String>> config) {
    String prefix = "mp.messaging.incoming." + channel + ".";
    // A channel with concurrency=N runs as copies "<channel>$1".."$N"; a copy's setting falls back
    // to the channel's own, as the connector reads them.
    int copy = channel.lastIndexOf('$');
    if (copy > 0 && channel.substring(copy + 1).matches("\\d+")) {
      String base = "mp.messaging.incoming." + channel.substring(0, copy) + ".";
      Function<String, Optional<String>> own = config;
      config =
          k ->
              own.apply(k)
                  .or(
                      () ->
                          k.startsWith(prefix)
                              ? own.apply(base + k.substring(prefix.length()))
                              : Optional.empty());
    }
    List<String> problems = new ArrayList<>();
    String failure = config.apply(prefix + "failure-strategy").orElse("fail");
    if (!"dead-letter-queue".equals(failure)) {
      problems.add(prefix + "failure-strategy must be dead-letter-queue (is " + failure + ")");
    }
    String commit = config.apply(prefix + "commit-strategy").orElse("throttled");
    String maxAge =
        config.apply(prefix + "throttled.unprocessed-record-max-age.ms").orElse("60000");
    if ("throttled".equals(commit) && !"0".equals(maxAge.trim())) {
      problems.add(
          prefix
              + "throttled.unprocessed-record-max-age.ms must be 0 (is "
              + maxAge
              + "): a record retried in place longer than that would close the consumer");
    }
    return problems;
  }
}
