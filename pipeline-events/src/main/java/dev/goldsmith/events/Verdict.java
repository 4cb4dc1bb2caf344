package dev.goldsmith.events;

/**
 * The verifier's verdict. Only {@link #ARTIFACT_DEFECT} rejects an image; channel and
 * infrastructure failures say nothing about the image.
 */
public enum Verdict {
  PASSED,
  ARTIFACT_DEFECT,
  CHANNEL_FAILURE,
  INFRA_FAILURE
}
