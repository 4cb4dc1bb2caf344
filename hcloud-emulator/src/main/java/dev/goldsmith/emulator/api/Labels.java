package dev.goldsmith.emulator.api;

import java.util.Map;
import java.util.regex.Pattern;

/** Validation of label keys and values as the API documents them. */
public final class Labels {
  private static final Pattern NAME =
      Pattern.compile("^[A-Za-z0-9]([A-Za-z0-9._-]{0,61}[A-Za-z0-9])?$");
  private static final Pattern VALUE =
      Pattern.compile("^([A-Za-z0-9]([A-Za-z0-9._-]{0,61}[A-Za-z0-9])?)?$");
  private static final Pattern PREFIX =
      Pattern.compile("^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$");

  private Labels() {}

  /** Throws invalid_input (field {@code labels}) on the first invalid key or value. */
  public static void validate(Map<String, String> labels) {
    for (Map.Entry<String, String> e : labels.entrySet()) {
      String key = e.getKey();
      String name = key;
      int slash = key.indexOf('/');
      if (slash >= 0) {
        String prefix = key.substring(0, slash);
        name = key.substring(slash + 1);
        if (prefix.length() > 253 || !PREFIX.matcher(prefix).matches()) {
          throw ApiException.invalidField("labels", "invalid label key prefix: " + key);
        }
        if (prefix.equals("hetzner.cloud")) {
          throw ApiException.invalidField("labels", "label key prefix is reserved: " + key);
        }
      }
      if (!NAME.matcher(name).matches()) {
        throw ApiException.invalidField("labels", "invalid label key: " + key);
      }
      if (e.getValue() == null || !VALUE.matcher(e.getValue()).matches()) {
        throw ApiException.invalidField("labels", "invalid label value for key: " + key);
      }
    }
  }
}
