package dev.goldsmith.hcloud.internal;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Collection;

/** Builds a URL query string; repeated keys are allowed ({@code type=a&type=b}). */
public final class QueryString {

  private final StringBuilder b = new StringBuilder();

  public QueryString add(String key, Object value) {
    if (value == null) {
      return this;
    }
    String v = value.toString();
    if (v.isEmpty()) {
      return this;
    }
    b.append(b.length() == 0 ? '?' : '&').append(encode(key)).append('=').append(encode(v));
    return this;
  }

  public QueryString addAll(String key, Collection<?> values) {
    if (values != null) {
      for (Object v : values) {
        add(key, v);
      }
    }
    return this;
  }

  static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  @Override
  public String toString() {
    return b.toString();
  }
}
