package dev.goldsmith.verifier.channel;

import java.time.Duration;

/**
 * How hard the channel probe tries.
 *
 * @param deadline how long a family is probed before it counts as unreachable
 * @param interval pause between attempts
 * @param connectTimeout timeout of one TCP connect
 * @param autoIpv6Grace in auto mode, how long IPv6 still gets once IPv4 answers
 */
public record ChannelSettings(
    Duration deadline, Duration interval, Duration connectTimeout, Duration autoIpv6Grace) {}
