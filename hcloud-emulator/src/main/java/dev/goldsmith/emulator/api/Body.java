package dev.goldsmith.emulator.api;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A JSON request body, checked field by field. An empty body is an empty object (hcloud-python
 * sends none for power actions); malformed JSON is {@code json_error}; a field the endpoint does
 * not know is {@code invalid_input}, as on the real API.
 */
public final class Body {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private final ObjectNode node;

  private Body(ObjectNode node) {
    this.node = node;
  }

  /** Parses {@code text} and rejects fields outside {@code allowed}. */
  public static Body parse(String text, Set<String> allowed) {
    ObjectNode node;
    if (text == null || text.isBlank()) {
      node = JsonNodeFactory.instance.objectNode();
    } else {
      JsonNode parsed;
      try {
        parsed = MAPPER.readTree(text);
      } catch (JsonProcessingException e) {
        throw new ApiException(400, "json_error", "A valid JSON document is required.", null);
      }
      if (parsed == null || parsed.isNull()) {
        node = JsonNodeFactory.instance.objectNode();
      } else if (!parsed.isObject()) {
        throw new ApiException(400, "json_error", "A JSON object is required.", null);
      } else {
        node = (ObjectNode) parsed;
      }
    }
    List<Map<String, Object>> unknown = new ArrayList<>();
    Iterator<String> names = node.fieldNames();
    while (names.hasNext()) {
      String name = names.next();
      if (!allowed.contains(name)) {
        unknown.add(Map.of("name", name, "messages", List.of("unknown field name '" + name + "'")));
      }
    }
    if (!unknown.isEmpty()) {
      throw new ApiException(
          422,
          "invalid_input",
          "unknown field name '" + unknown.get(0).get("name") + "'",
          Map.of("fields", unknown));
    }
    return new Body(node);
  }

  public boolean has(String field) {
    JsonNode v = node.get(field);
    return v != null && !v.isNull();
  }

  public Optional<String> string(String field) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      return Optional.empty();
    }
    if (!v.isTextual()) {
      throw ApiException.invalidField(field, "must be a string");
    }
    return Optional.of(v.asText());
  }

  public String requiredString(String field) {
    return string(field)
        .orElseThrow(() -> ApiException.invalidField(field, "Missing data for required field."));
  }

  public Optional<Boolean> bool(String field) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      return Optional.empty();
    }
    if (!v.isBoolean()) {
      throw ApiException.invalidField(field, "must be a boolean");
    }
    return Optional.of(v.asBoolean());
  }

  /** An id-or-name field: an integer, a numeric string or a name, as a string. */
  public Optional<String> idOrName(String field) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      return Optional.empty();
    }
    if (v.isIntegralNumber()) {
      return Optional.of(Long.toString(v.asLong()));
    }
    if (v.isTextual()) {
      return Optional.of(v.asText());
    }
    throw ApiException.invalidField(field, "must be an id or a name");
  }

  /** An array of ids or names, each as a string. */
  public List<String> idOrNameList(String field) {
    JsonNode v = node.get(field);
    List<String> out = new ArrayList<>();
    if (v == null || v.isNull()) {
      return out;
    }
    if (!v.isArray()) {
      throw ApiException.invalidField(field, "must be a list");
    }
    for (JsonNode e : v) {
      if (e.isIntegralNumber()) {
        out.add(Long.toString(e.asLong()));
      } else if (e.isTextual()) {
        out.add(e.asText());
      } else {
        throw ApiException.invalidField(field, "must hold ids or names");
      }
    }
    return out;
  }

  /** A labels object; validated. */
  public Optional<Map<String, String>> labels(String field) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      return Optional.empty();
    }
    if (!v.isObject()) {
      throw ApiException.invalidField(field, "must be an object");
    }
    Map<String, String> labels = new LinkedHashMap<>();
    Iterator<Map.Entry<String, JsonNode>> it = v.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      if (!e.getValue().isTextual()) {
        throw ApiException.invalidField(field, "label values must be strings");
      }
      labels.put(e.getKey(), e.getValue().asText());
    }
    Labels.validate(labels);
    return Optional.of(labels);
  }

  /** A nested object (e.g. public_net), checked against its own allowed fields. */
  public Optional<Body> object(String field, Set<String> allowed) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      return Optional.empty();
    }
    if (!v.isObject()) {
      throw ApiException.invalidField(field, "must be an object");
    }
    Iterator<String> names = v.fieldNames();
    while (names.hasNext()) {
      String name = names.next();
      if (!allowed.contains(name)) {
        throw ApiException.invalidField(
            field + "." + name, "unknown field name '" + field + "." + name + "'");
      }
    }
    return Optional.of(new Body((ObjectNode) v));
  }

  /** Checks that a field, when present, is an array (its content is accepted as it is). */
  public void optionalArray(String field) {
    JsonNode v = node.get(field);
    if (v != null && !v.isNull() && !v.isArray()) {
      throw ApiException.invalidField(field, "must be a list");
    }
  }
}
