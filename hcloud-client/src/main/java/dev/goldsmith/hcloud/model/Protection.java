package dev.goldsmith.hcloud.model;

/** Protection flags. Images only carry {@code delete}; for them {@code rebuild} is always false. */
public record Protection(boolean delete, boolean rebuild) {}
