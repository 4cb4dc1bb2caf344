package dev.goldsmith.emulator.control;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

import dev.goldsmith.emulator.backend.InvalidRuleException;

/**
 * HTTP fault rules of the control API. A rule matches a method ({@code *} for any) and a path glob
 * relative to {@code /v1} ({@code *} within one segment, {@code **} across segments); it fires with
 * its probability until its count is used up, and then does what its {@link HttpFaultKind} says.
 * {@code latency_ms} adds a delay to any kind.
 */
@ApplicationScoped
public class Faults {
  static final Set<String> FIELDS =
      Set.of(
          "method",
          "path",
          "kind",
          "status",
          "code",
          "message",
          "latency_ms",
          "count",
          "probability");

  private final List<Rule> rules = new CopyOnWriteArrayList<>();
  private final AtomicLong ids = new AtomicLong();

  /** A stored rule. {@code remaining} is null for an unlimited rule. */
  public static final class Rule {
    final String id;
    final String method;
    final String path;
    final Pattern pattern;
    final HttpFaultKind kind;
    final int status;
    final String code;
    final String message;
    final long latencyMs;
    final double probability;
    Integer remaining;
    long fired;

    private Rule(String id, Spec spec) {
      this.id = id;
      this.method = spec.method;
      this.path = spec.path;
      this.pattern = glob(path);
      this.kind = spec.kind;
      this.latencyMs = spec.latencyMs;
      this.probability = spec.probability;
      this.remaining = spec.count;
      this.status = kind.answers() && spec.status != null ? spec.status : kind.defaultStatus();
      this.code =
          kind == HttpFaultKind.ACTION_ERROR || spec.code == null ? kind.defaultCode() : spec.code;
      this.message = spec.message == null ? kind.defaultMessage() : spec.message;
    }

    public HttpFaultKind kind() {
      return kind;
    }

    public int status() {
      return status;
    }

    public String code() {
      return code;
    }

    public String message() {
      return message;
    }

    public long latencyMs() {
      return latencyMs;
    }

    Map<String, Object> view() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("id", id);
      m.put("method", method);
      m.put("path", path);
      m.put("kind", kind.wire());
      m.put("status", status);
      m.put("code", code);
      m.put("message", message);
      m.put("latency_ms", latencyMs);
      m.put("probability", probability);
      m.put("count", remaining);
      m.put("fired", fired);
      return m;
    }
  }

  /** A rule as sent to the control API, validated field by field. */
  private static final class Spec {
    String method = "*";
    String path = "/**";
    HttpFaultKind kind = HttpFaultKind.ERROR;
    Integer status;
    String code;
    String message;
    long latencyMs;
    double probability = 1;
    Integer count;

    static Spec parse(Map<String, Object> m) {
      InvalidRuleException.Collector errors = new InvalidRuleException.Collector("fault rule");
      for (String key : m.keySet()) {
        if (!FIELDS.contains(key)) {
          errors.add(key, "unknown field; allowed: " + FIELDS.stream().sorted().toList());
        }
      }
      Spec s = new Spec();
      Object kind = m.get("kind");
      if (kind != null) {
        s.kind = HttpFaultKind.fromWire(String.valueOf(kind)).orElse(null);
        if (s.kind == null) {
          errors.add("kind", "kind must be one of " + HttpFaultKind.wireNames() + ", got " + kind);
        }
      }
      s.method = text(m, "method", "*", errors).toUpperCase();
      s.path = text(m, "path", "/**", errors);
      if (!s.path.startsWith("/")) {
        errors.add("path", "path must start with /");
      }
      s.code = m.get("code") == null ? null : text(m, "code", "", errors);
      s.message = m.get("message") == null ? null : text(m, "message", "", errors);
      Number status = number(m, "status", errors);
      if (status != null) {
        s.status = status.intValue();
        if (status.doubleValue() != s.status || s.status < 100 || s.status > 599) {
          errors.add("status", "status must be an HTTP status 100..599");
        }
      }
      Number latency = number(m, "latency_ms", errors);
      if (latency != null) {
        s.latencyMs = latency.longValue();
        if (s.latencyMs < 0) {
          errors.add("latency_ms", "latency_ms must not be negative");
        }
      }
      Number probability = number(m, "probability", errors);
      if (probability != null) {
        s.probability = probability.doubleValue();
        if (s.probability < 0 || s.probability > 1) {
          errors.add("probability", "probability must be within 0..1");
        }
      }
      Number count = number(m, "count", errors);
      if (count != null) {
        s.count = count.intValue();
        if (s.count < 1) {
          errors.add("count", "count must be at least 1");
        }
      }
      errors.throwIfAny();
      return s;
    }

    private static Number number(
        Map<String, Object> m, String key, InvalidRuleException.Collector errors) {
      Object v = m.get(key);
      if (v == null) {
        return null;
      }
      if (!(v instanceof Number n)) {
        errors.add(key, key + " must be a number");
        return null;
      }
      return n;
    }

    private static String text(
        Map<String, Object> m, String key, String dflt, InvalidRuleException.Collector errors) {
      Object v = m.get(key);
      if (v == null) {
        return dflt;
      }
      if (!(v instanceof String str)) {
        errors.add(key, key + " must be a string");
        return dflt;
      }
      return str;
    }
  }

  static Pattern glob(String glob) {
    StringBuilder re = new StringBuilder("^");
    for (int i = 0; i < glob.length(); i++) {
      char c = glob.charAt(i);
      if (c == '*') {
        if (i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
          re.append(".*");
          i++;
        } else {
          re.append("[^/]*");
        }
      } else {
        re.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return Pattern.compile(re.append('$').toString());
  }

  /**
   * Validates and stores a rule; returns its view (with its id).
   *
   * @throws InvalidRuleException naming every bad field
   */
  public Map<String, Object> add(Map<String, Object> spec) {
    Rule rule = new Rule("f-" + ids.incrementAndGet(), Spec.parse(spec));
    rules.add(rule);
    return rule.view();
  }

  /**
   * The first rule that fires for this request, with its count used; {@code path} is relative to
   * {@code /v1}.
   */
  public Rule fire(String method, String path) {
    for (Rule r : rules) {
      if (!r.method.equals("*") && !r.method.equals(method)) {
        continue;
      }
      if (!r.pattern.matcher(path).matches()) {
        continue;
      }
      synchronized (r) {
        if (r.remaining != null && r.remaining <= 0) {
          continue;
        }
        if (r.probability < 1 && ThreadLocalRandom.current().nextDouble() >= r.probability) {
          continue;
        }
        if (r.remaining != null) {
          r.remaining--;
        }
        r.fired++;
      }
      return r;
    }
    return null;
  }

  public List<Map<String, Object>> list() {
    List<Map<String, Object>> out = new ArrayList<>();
    for (Rule r : rules) {
      synchronized (r) {
        out.add(r.view());
      }
    }
    return out;
  }

  /** Removes one rule; false when there is none with this id. */
  public boolean remove(String id) {
    return rules.removeIf(r -> r.id.equals(id));
  }

  public void clear() {
    rules.clear();
  }
}
