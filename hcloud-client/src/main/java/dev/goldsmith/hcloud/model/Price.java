package dev.goldsmith.hcloud.model;

import java.math.BigDecimal;

/** A price; the API sends decimal strings, kept exact here. */
public record Price(BigDecimal net, BigDecimal gross) {}
