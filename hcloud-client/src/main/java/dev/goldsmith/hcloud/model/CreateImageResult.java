package dev.goldsmith.hcloud.model;

/** Result of {@code create_image}: the image (status {@code creating}) and its action. */
public record CreateImageResult(Image image, Action action) {}
