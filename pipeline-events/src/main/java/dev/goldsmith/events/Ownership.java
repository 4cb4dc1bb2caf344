package dev.goldsmith.events;

import java.util.Map;

/**
 * The labels that say a cloud resource is Goldsmith's own: {@code goldsmith.dev/managed=true} and
 * {@code goldsmith.dev/installation=<id>}. Cleanup, retention and the janitor touch only resources
 * carrying both; anything else is reported, never modified.
 */
public final class Ownership {
  public static final String MANAGED = "goldsmith.dev/managed";
  public static final String INSTALLATION = "goldsmith.dev/installation";

  private Ownership() {}

  /** Whether the labels mark a resource of {@code installationId}'s own making. */
  public static boolean owned(Map<String, String> labels, String installationId) {
    return labels != null
        && installationId != null
        && "true".equals(labels.get(MANAGED))
        && installationId.equals(labels.get(INSTALLATION));
  }
}
