package dev.goldsmith.configurator.ansible;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Writes request-supplied variables as an extra-vars file in which Ansible can never template
 * anything: every string, mapping keys included and at any depth, carries YAML's {@code !unsafe}
 * tag, which Ansible's loader turns into values its templar leaves alone (also through {@code -e
 * @file}). So a value that slipped past intake ({@code {{ lookup('pipe', …) }}}, {@code {% … %}})
 * stays the literal string it was. The file is YAML in flow style, ASCII only: every character
 * outside printable ASCII is escaped, so no byte can end the quoting or upset the YAML reader.
 */
public final class UnsafeExtraVars {
  private UnsafeExtraVars() {}

  /** Writes {@code vars} to {@code file}, readable by the owner only (0600). */
  public static void write(Path file, Map<String, Object> vars) throws IOException {
    PrivateFiles.write(file, ("---\n" + yaml(vars) + "\n").getBytes(StandardCharsets.US_ASCII));
  }

  /** The YAML of one value. */
  static String yaml(Object value) {
    StringBuilder out = new StringBuilder();
    append(out, value);
    return out.toString();
  }

  private static void append(StringBuilder out, Object value) {
    if (value == null) {
      out.append("null");
    } else if (value instanceof String s) {
      unsafe(out, s);
    } else if (value instanceof Boolean b) {
      out.append(b ? "true" : "false");
    } else if (value instanceof Integer
        || value instanceof Long
        || value instanceof Short
        || value instanceof BigInteger) {
      out.append(value);
    } else if (value instanceof Number n) {
      // YAML 1.1 (PyYAML) reads a float only with a dot and a signed exponent: write it plainly.
      String plain = new BigDecimal(n.toString()).toPlainString();
      out.append(plain.contains(".") ? plain : plain + ".0");
    } else if (value instanceof Map<?, ?> m) {
      out.append('{');
      boolean first = true;
      for (Map.Entry<?, ?> e : m.entrySet()) {
        out.append(first ? "" : ", ");
        first = false;
        unsafe(out, String.valueOf(e.getKey()));
        out.append(": ");
        append(out, e.getValue());
      }
      out.append('}');
    } else if (value instanceof List<?> l) {
      out.append('[');
      for (int i = 0; i < l.size(); i++) {
        out.append(i == 0 ? "" : ", ");
        append(out, l.get(i));
      }
      out.append(']');
    } else {
      throw new IllegalArgumentException(
          "extra vars hold a " + value.getClass().getName() + ", not JSON data");
    }
  }

  /** {@code !unsafe "<escaped>"}: a YAML double-quoted scalar of printable ASCII only. */
  private static void unsafe(StringBuilder out, String s) {
    out.append("!unsafe \"");
    s.codePoints()
        .forEach(
            c -> {
              if (c == '"' || c == '\\') {
                out.append('\\').append((char) c);
              } else if (c >= 0x20 && c < 0x7f) {
                out.append((char) c);
              } else if (c <= 0xffff) {
                out.append(String.format("\\u%04x", c));
              } else {
                out.append(String.format("\\U%08x", c));
              }
            });
    out.append('"');
  }
}
