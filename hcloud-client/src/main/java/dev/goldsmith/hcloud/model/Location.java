package dev.goldsmith.hcloud.model;

/** A Hetzner location such as {@code fsn1}. */
public record Location(
    long id,
    String name,
    String description,
    String country,
    String city,
    double latitude,
    double longitude,
    String networkZone) {}
