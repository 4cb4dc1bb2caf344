package dev.goldsmith.families;

import java.util.Map;

import dev.goldsmith.events.NetworkMode;
import dev.goldsmith.events.VerificationMatrix;

/**
 * A family as declared in {@code ansible/families/<name>.yml}: what to build by default and what a
 * fresh instance must prove.
 */
public record Family(
    String name,
    String description,
    String baseImage,
    String serverType,
    String location,
    String playbook,
    NetworkMode networkMode,
    int keepPrevious,
    Map<String, Object> extraVars,
    VerificationMatrix verification) {}
