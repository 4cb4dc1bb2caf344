package dev.goldsmith.hcloud.label;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import dev.goldsmith.hcloud.error.HcloudArgumentException;

/**
 * The API's label rules. A key is an optional DNS-subdomain prefix (at most 253 characters) and
 * {@code /}, then a name of at most 63 characters, alphanumeric at both ends with {@code -_.}
 * inside. A value is empty or follows the same rule as a name. The {@code hetzner.cloud/} prefix is
 * reserved.
 */
public final class Labels {

  private static final Pattern NAME =
      Pattern.compile("[A-Za-z0-9]([A-Za-z0-9._-]{0,61}[A-Za-z0-9])?");
  private static final Pattern DNS_SUBDOMAIN =
      Pattern.compile("[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*");

  private Labels() {}

  /** Problems with a key, empty when valid. */
  public static List<String> checkKey(String key) {
    List<String> problems = new ArrayList<>();
    if (key == null || key.isEmpty()) {
      problems.add("label key is empty");
      return problems;
    }
    String name = key;
    int slash = key.lastIndexOf('/');
    if (slash >= 0) {
      String prefix = key.substring(0, slash);
      name = key.substring(slash + 1);
      if (prefix.isEmpty() || prefix.length() > 253 || !DNS_SUBDOMAIN.matcher(prefix).matches()) {
        problems.add("label key '" + key + "' has an invalid prefix");
      }
      if (prefix.equals("hetzner.cloud") || prefix.endsWith(".hetzner.cloud")) {
        problems.add("label key '" + key + "' uses the reserved prefix hetzner.cloud/");
      }
    }
    if (!NAME.matcher(name).matches()) {
      problems.add("label key '" + key + "' has an invalid name");
    }
    return problems;
  }

  /** Problems with a value, empty when valid. */
  public static List<String> checkValue(String value) {
    if (value == null) {
      return List.of("label value is null");
    }
    if (value.isEmpty() || NAME.matcher(value).matches()) {
      return List.of();
    }
    return List.of("label value '" + value + "' is invalid");
  }

  /** Throws {@link HcloudArgumentException} listing every invalid key and value. */
  public static void validate(Map<String, String> labels) {
    if (labels == null) {
      return;
    }
    List<String> problems = new ArrayList<>();
    labels.forEach(
        (k, v) -> {
          problems.addAll(checkKey(k));
          problems.addAll(checkValue(v));
        });
    if (!problems.isEmpty()) {
      throw new HcloudArgumentException(problems);
    }
  }
}
