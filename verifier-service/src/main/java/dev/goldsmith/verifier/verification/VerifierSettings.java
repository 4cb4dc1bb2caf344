package dev.goldsmith.verifier.verification;

import java.time.Duration;

import dev.goldsmith.verifier.channel.ChannelSettings;

/**
 * Tunables of a verification.
 *
 * @param maxAttempts fresh servers tried when the channel or the cloud fails
 * @param runningTimeout how long a test server may take to be running
 * @param deleteTimeout how long deleting a test server may take
 * @param sshTimeout SSH connect and authentication timeout
 * @param commandTimeout timeout of each check command
 * @param probeTimeout timeout of each binary probe
 */
public record VerifierSettings(
    int maxAttempts,
    Duration runningTimeout,
    Duration deleteTimeout,
    ChannelSettings channel,
    Duration sshTimeout,
    Duration commandTimeout,
    Duration probeTimeout) {}
