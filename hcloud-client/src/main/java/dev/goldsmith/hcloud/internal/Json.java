package dev.goldsmith.hcloud.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import dev.goldsmith.hcloud.error.HcloudException;
import dev.goldsmith.hcloud.model.Page;
import dev.goldsmith.hcloud.model.Pagination;

/**
 * The client's own JSON mapping of the wire format onto the model records: snake_case names,
 * unknown fields ignored, unknown enum values mapped to {@code UNKNOWN}, timestamps with any offset
 * ({@code Z} or {@code +00:00}) kept as sent.
 */
public final class Json {

  public static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .addModule(new JavaTimeModule())
          .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
          .enable(DeserializationFeature.READ_UNKNOWN_ENUM_VALUES_USING_DEFAULT_VALUE)
          .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS)
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .serializationInclusion(JsonInclude.Include.NON_NULL)
          .build();

  private Json() {}

  /** Parses a body; an empty body gives an empty object. */
  public static JsonNode parse(byte[] body) {
    if (body == null || body.length == 0) {
      return MAPPER.createObjectNode();
    }
    try {
      return MAPPER.readTree(body);
    } catch (IOException e) {
      throw new HcloudException("the API sent a body that is not JSON: " + e.getMessage());
    }
  }

  /** Maps the member {@code key} of an envelope onto {@code type}. */
  public static <T> T member(JsonNode envelope, String key, Class<T> type) {
    JsonNode node = envelope.get(key);
    if (node == null || node.isNull()) {
      throw new HcloudException("the API response has no '" + key + "'");
    }
    return convert(node, type);
  }

  /** Maps a node onto {@code type}. */
  public static <T> T convert(JsonNode node, Class<T> type) {
    try {
      return MAPPER.treeToValue(node, type);
    } catch (IOException e) {
      throw new HcloudException(
          "cannot read " + type.getSimpleName() + " from the API response: " + e.getMessage(), e);
    }
  }

  /** Maps the array member {@code key} onto a list. */
  public static <T> List<T> list(JsonNode envelope, String key, Class<T> type) {
    JsonNode node = envelope.get(key);
    List<T> out = new ArrayList<>();
    if (node == null || node.isNull()) {
      return out;
    }
    if (!node.isArray()) {
      throw new HcloudException("the API response's '" + key + "' is not a list");
    }
    for (JsonNode item : node) {
      out.add(convert(item, type));
    }
    return out;
  }

  /** Maps a list envelope ({@code {key: [...], meta: {pagination}}}) onto a page. */
  public static <T> Page<T> page(JsonNode envelope, String key, Class<T> type) {
    List<T> items = list(envelope, key, type);
    JsonNode p = envelope.path("meta").path("pagination");
    Pagination pagination =
        p.isMissingNode() || p.isNull()
            ? new Pagination(1, items.size(), null, null, 1, (long) items.size())
            : convert(p, Pagination.class);
    return new Page<>(items, pagination);
  }

  /** A fresh object node for request bodies. */
  public static ObjectNode object() {
    return MAPPER.createObjectNode();
  }

  /** Serialises a node. */
  public static byte[] bytes(JsonNode node) {
    try {
      return MAPPER.writeValueAsBytes(node);
    } catch (IOException e) {
      throw new HcloudException("cannot write request body: " + e.getMessage(), e);
    }
  }

  static JavaType type(Class<?> raw) {
    return MAPPER.constructType(raw);
  }
}
