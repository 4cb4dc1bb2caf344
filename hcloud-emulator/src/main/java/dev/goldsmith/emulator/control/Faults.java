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

/**
 * HTTP fault rules of the control API. A rule matches a method ({@code *} for any) and a path glob
 * relative to {@code /v1} ({@code *} within one segment, {@code **} across segments); it fires with
 * its probability until its count is used up, and then does one of: {@code error} (answer with
 * status, code and message), {@code latency} (delay, then serve normally), {@code action_error}
 * (serve, but the actions it creates end in error) or {@code rate_limit} (answer 429
 * rate_limit_exceeded). {@code latency_ms} adds a delay to any kind.
 */
@ApplicationScoped
public class Faults {
  static final Set<String> KINDS = Set.of("error", "latency", "action_error", "rate_limit");
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
    final String kind;
    final int status;
    final String code;
    final String message;
    final long latencyMs;
    final double probability;
    Integer remaining;
    long fired;

    Rule(String id, Map<String, Object> spec) {
      this.id = id;
      this.method = String.valueOf(spec.getOrDefault("method", "*")).toUpperCase();
      this.path = String.valueOf(spec.getOrDefault("path", "/**"));
      this.pattern = glob(path);
      this.kind = String.valueOf(spec.getOrDefault("kind", "error"));
      this.latencyMs = number(spec, "latency_ms", 0).longValue();
      this.probability = number(spec, "probability", 1).doubleValue();
      Number count = (Number) spec.get("count");
      this.remaining = count == null ? null : count.intValue();
      if (kind.equals("rate_limit")) {
        this.status = number(spec, "status", 429).intValue();
        this.code = String.valueOf(spec.getOrDefault("code", "rate_limit_exceeded"));
        this.message =
            String.valueOf(spec.getOrDefault("message", "Limit of requests per hour reached"));
      } else if (kind.equals("action_error")) {
        this.status = 0;
        this.code = "action_failed";
        this.message = String.valueOf(spec.getOrDefault("message", "Action failed"));
      } else {
        this.status = number(spec, "status", 503).intValue();
        this.code = String.valueOf(spec.getOrDefault("code", "unavailable"));
        this.message = String.valueOf(spec.getOrDefault("message", "injected fault"));
      }
    }

    public String kind() {
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
      m.put("kind", kind);
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

  private static Number number(Map<String, Object> spec, String key, Number dflt) {
    Object v = spec.get(key);
    if (v == null) {
      return dflt;
    }
    if (!(v instanceof Number n)) {
      throw new IllegalArgumentException(key + " must be a number");
    }
    return n;
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

  /** Validates and stores a rule; returns its view (with its id). */
  public Map<String, Object> add(Map<String, Object> spec) {
    for (String key : spec.keySet()) {
      if (!FIELDS.contains(key)) {
        throw new IllegalArgumentException("unknown field " + key);
      }
    }
    Object kind = spec.getOrDefault("kind", "error");
    if (!KINDS.contains(String.valueOf(kind))) {
      throw new IllegalArgumentException("kind must be one of " + KINDS);
    }
    Rule rule = new Rule("f-" + ids.incrementAndGet(), spec);
    if (rule.probability < 0 || rule.probability > 1) {
      throw new IllegalArgumentException("probability must be within 0..1");
    }
    if (rule.remaining != null && rule.remaining < 1) {
      throw new IllegalArgumentException("count must be at least 1");
    }
    if (!rule.path.startsWith("/")) {
      throw new IllegalArgumentException("path must start with /");
    }
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
