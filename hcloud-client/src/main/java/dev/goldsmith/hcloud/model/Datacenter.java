package dev.goldsmith.hcloud.model;

/**
 * A (virtual) datacenter. Deprecated on the real API and removed from servers on 2026-07-01; kept
 * because older API versions and the emulator still send it.
 */
public record Datacenter(long id, String name, String description, Location location) {}
