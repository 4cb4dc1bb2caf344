package dev.goldsmith.events;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * The digests of {@link Provenance}: SHA-256 of canonical JSON (object keys sorted at every depth,
 * no whitespace, UTF-8) and of a set of files (sorted relative paths and contents), as lower-case
 * hex. Anyone holding the same value or files can recompute them.
 */
public final class Digests {
  private static final ObjectMapper CANONICAL =
      EventCodec.mapper()
          .copy()
          .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
          .disable(SerializationFeature.INDENT_OUTPUT);

  private Digests() {}

  /**
   * The canonical JSON of {@code value}: serialized as the events are, then every object's keys
   * sorted (records included), no whitespace.
   */
  public static String canonicalJson(Object value) {
    try {
      Object tree = CANONICAL.convertValue(value, Object.class);
      return CANONICAL.writeValueAsString(tree);
    } catch (JsonProcessingException | IllegalArgumentException e) {
      throw new IllegalArgumentException("cannot render canonical JSON: " + e.getMessage(), e);
    }
  }

  /** SHA-256 (hex) of the canonical JSON of {@code value}. */
  public static String sha256OfJson(Object value) {
    return sha256(canonicalJson(value).getBytes(StandardCharsets.UTF_8));
  }

  /**
   * SHA-256 (hex) over files: for each, in the order of its path (relative to {@code root}, with
   * {@code /} separators), the path, a NUL, its length in decimal, a NUL and its bytes. So
   * renaming, moving or changing a file changes the digest, and the order files are found in does
   * not.
   *
   * @param files paths under {@code root}
   */
  public static String files(Path root, Iterable<Path> files) {
    Map<String, Path> sorted = new TreeMap<>();
    Path base = root.toAbsolutePath().normalize();
    for (Path f : files) {
      Path abs = f.toAbsolutePath().normalize();
      String rel = base.relativize(abs).toString().replace('\\', '/');
      sorted.put(rel, abs);
    }
    MessageDigest md = sha256();
    try {
      for (Map.Entry<String, Path> e : sorted.entrySet()) {
        byte[] content = Files.readAllBytes(e.getValue());
        md.update(e.getKey().getBytes(StandardCharsets.UTF_8));
        md.update((byte) 0);
        md.update(Integer.toString(content.length).getBytes(StandardCharsets.US_ASCII));
        md.update((byte) 0);
        md.update(content);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return HexFormat.of().formatHex(md.digest());
  }

  /** SHA-256 (hex) of {@code bytes}. */
  public static String sha256(byte[] bytes) {
    return HexFormat.of().formatHex(sha256().digest(bytes));
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
