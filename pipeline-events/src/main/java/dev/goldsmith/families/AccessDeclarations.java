package dev.goldsmith.families;

import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiConsumer;
import java.util.regex.Matcher;

import com.fasterxml.jackson.databind.JsonNode;

import dev.goldsmith.events.AccessDeclaration;
import dev.goldsmith.events.AccessDeclaration.Listening;
import dev.goldsmith.events.AccessDeclaration.Sudoers;
import dev.goldsmith.events.Patterns;

/**
 * Reads and validates the {@code verification.image.access} block of a family file:
 *
 * <pre>
 * access:
 *   authorized_keys: {root: [], admin: ["ssh-ed25519 AAAA… ops@example"]}
 *   sudoers:
 *     groups: {sudo: [admin]}
 *     files: [README]
 *     rules: []
 *   listening:
 *     - {proto: tcp, port: 22}
 * </pre>
 *
 * Every problem is reported through {@code err} (key path, message); the result is still built from
 * what was valid.
 */
final class AccessDeclarations {
  static final String PATH = "verification.image.access";
  private static final java.util.regex.Pattern KEY =
      java.util.regex.Pattern.compile(
          "^(ssh-ed25519|ssh-rsa|ecdsa-sha2-nistp(?:256|384|521)|sk-ssh-ed25519@openssh\\.com"
              + "|sk-ecdsa-sha2-nistp256@openssh\\.com) ([A-Za-z0-9+/]+={0,2})( .*)?$");
  private static final String FILE_NAME = "^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$";

  private AccessDeclarations() {}

  /** Parses the block; {@code null} (absent) declares nothing. */
  static AccessDeclaration parse(JsonNode node, BiConsumer<String, String> err) {
    if (node == null || node.isNull()) {
      return AccessDeclaration.NONE;
    }
    if (!node.isObject()) {
      err.accept(PATH, "must be a mapping with authorized_keys, sudoers and listening");
      return AccessDeclaration.NONE;
    }
    unknownKeys(node, PATH, Set.of("authorized_keys", "sudoers", "listening"), err);
    return new AccessDeclaration(
        authorizedKeys(node.get("authorized_keys"), err),
        sudoers(node.get("sudoers"), err),
        listening(node.get("listening"), err));
  }

  private static Map<String, List<String>> authorizedKeys(
      JsonNode node, BiConsumer<String, String> err) {
    String path = PATH + ".authorized_keys";
    Map<String, List<String>> out = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : mapping(node, path, "user names", err)) {
      String p = path + "." + e.getKey();
      if (!e.getKey().matches(Patterns.USER)) {
        err.accept(p, "'" + e.getKey() + "' is not a user name");
      }
      List<String> keys = new ArrayList<>();
      Set<String> blobs = new LinkedHashSet<>();
      List<String> lines = strings(e.getValue(), p, err);
      for (int i = 0; i < lines.size(); i++) {
        String line = lines.get(i).strip();
        Matcher m = KEY.matcher(line);
        if (!m.matches() || !base64(m.group(2))) {
          err.accept(
              p + "[" + i + "]",
              "must be an OpenSSH public key 'type base64 [comment]' without options (type one of"
                  + " ssh-ed25519, ssh-rsa, ecdsa-sha2-nistp256/384/521, sk-…@openssh.com)");
        } else if (!blobs.add(m.group(1) + " " + m.group(2))) {
          err.accept(p + "[" + i + "]", "the same key is declared twice");
        } else {
          keys.add(line);
        }
      }
      out.put(e.getKey(), keys);
    }
    return out;
  }

  private static Sudoers sudoers(JsonNode node, BiConsumer<String, String> err) {
    String path = PATH + ".sudoers";
    if (node == null || node.isNull()) {
      return AccessDeclaration.NONE.sudoers();
    }
    if (!node.isObject()) {
      err.accept(path, "must be a mapping with groups, files and rules");
      return AccessDeclaration.NONE.sudoers();
    }
    unknownKeys(node, path, Set.of("groups", "files", "rules"), err);
    Map<String, List<String>> groups = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e :
        mapping(node.get("groups"), path + ".groups", "group names", err)) {
      String p = path + ".groups." + e.getKey();
      if (!e.getKey().matches(Patterns.USER)) {
        err.accept(p, "'" + e.getKey() + "' is not a group name");
      }
      List<String> members = strings(e.getValue(), p, err);
      for (int i = 0; i < members.size(); i++) {
        if (!members.get(i).matches(Patterns.USER)) {
          err.accept(p + "[" + i + "]", "'" + members.get(i) + "' is not a user name");
        }
      }
      groups.put(e.getKey(), members);
    }
    List<String> files = strings(node.get("files"), path + ".files", err);
    for (int i = 0; i < files.size(); i++) {
      if (!files.get(i).matches(FILE_NAME)) {
        err.accept(
            path + ".files[" + i + "]",
            "'" + files.get(i) + "' must be a file name in /etc/sudoers.d (no path)");
      }
    }
    List<String> rules = new ArrayList<>();
    List<String> raw = strings(node.get("rules"), path + ".rules", err);
    for (int i = 0; i < raw.size(); i++) {
      String r = raw.get(i).strip().replaceAll("\\s+", " ");
      if (r.isEmpty() || r.startsWith("#") && !r.startsWith("#include")) {
        err.accept(path + ".rules[" + i + "]", "must be a sudoers line, not empty or a comment");
      } else {
        rules.add(r);
      }
    }
    return new Sudoers(groups, files, rules);
  }

  private static List<Listening> listening(JsonNode node, BiConsumer<String, String> err) {
    String path = PATH + ".listening";
    List<Listening> out = new ArrayList<>();
    if (node == null || node.isNull()) {
      return out;
    }
    if (!node.isArray()) {
      err.accept(path, "must be a list of {proto: tcp|udp, port: 1-65535}");
      return out;
    }
    for (int i = 0; i < node.size(); i++) {
      String p = path + "[" + i + "]";
      JsonNode n = node.get(i);
      if (!n.isObject()) {
        err.accept(p, "must be a mapping {proto: tcp|udp, port: 1-65535}");
        continue;
      }
      unknownKeys(n, p, Set.of("proto", "port"), err);
      JsonNode proto = n.get("proto");
      JsonNode port = n.get("port");
      boolean ok = true;
      if (proto == null || !proto.isTextual() || !proto.asText().matches("^(tcp|udp)$")) {
        err.accept(p + ".proto", "must be tcp or udp");
        ok = false;
      }
      if (port == null || !port.isInt() || port.asInt() < 1 || port.asInt() > 65535) {
        err.accept(p + ".port", "must be an integer from 1 to 65535");
        ok = false;
      }
      if (ok) {
        Listening l = new Listening(proto.asText(), port.asInt());
        if (out.contains(l)) {
          err.accept(p, l.proto() + "/" + l.port() + " is declared twice");
        } else {
          out.add(l);
        }
      }
    }
    return out;
  }

  private static List<Map.Entry<String, JsonNode>> mapping(
      JsonNode node, String path, String what, BiConsumer<String, String> err) {
    List<Map.Entry<String, JsonNode>> out = new ArrayList<>();
    if (node == null || node.isNull()) {
      return out;
    }
    if (!node.isObject()) {
      err.accept(path, "must be a mapping of " + what + " to lists");
      return out;
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      out.add(it.next());
    }
    return out;
  }

  private static List<String> strings(JsonNode v, String path, BiConsumer<String, String> err) {
    List<String> out = new ArrayList<>();
    if (v == null || v.isNull()) {
      return out;
    }
    if (!v.isArray()) {
      err.accept(path, "must be a list of strings");
      return out;
    }
    for (int i = 0; i < v.size(); i++) {
      if (!v.get(i).isTextual() || v.get(i).asText().isBlank()) {
        err.accept(path + "[" + i + "]", "must be a non-empty string");
      } else if (v.get(i).asText().contains("\n")) {
        err.accept(path + "[" + i + "]", "must be one line");
      } else {
        out.add(v.get(i).asText());
      }
    }
    return out;
  }

  private static void unknownKeys(
      JsonNode node, String path, Set<String> allowed, BiConsumer<String, String> err) {
    node.fieldNames()
        .forEachRemaining(
            k -> {
              if (!allowed.contains(k)) {
                err.accept(
                    path + "." + k,
                    "unknown key (allowed: " + String.join(", ", new TreeSet<>(allowed)) + ")");
              }
            });
  }

  private static boolean base64(String s) {
    try {
      return Base64.getDecoder().decode(s).length > 0;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
