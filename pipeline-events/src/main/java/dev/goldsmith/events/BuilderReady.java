package dev.goldsmith.events;

import java.time.Instant;
import java.util.UUID;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;

/**
 * The builder server runs and answers on its addresses.
 *
 * @param ipv4 public IPv4 address, null when the server has none
 * @param ipv6 the host address of the server's IPv6 network (its {@code ::1}), null when none
 */
public record BuilderReady(
    @NotNull UUID buildId,
    @NotNull @Valid BuildSpec spec,
    @Positive long serverId,
    String ipv4,
    String ipv6,
    @NotNull Instant occurredAt)
    implements PipelineEvent {}
