package dev.goldsmith.events;

import java.time.Instant;
import java.util.UUID;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;

/** The registry accepted a request and allocated its version; the spec is fully resolved. */
public record BuildAccepted(
    @NotNull UUID buildId, @NotNull @Valid BuildSpec spec, @NotNull Instant occurredAt)
    implements PipelineEvent {}
