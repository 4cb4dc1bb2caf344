package dev.goldsmith.events;

import java.io.IOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import jakarta.validation.ValidatorFactory;

import org.hibernate.validator.messageinterpolation.ParameterMessageInterpolator;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/**
 * JSON form of the events: Jackson with ISO-8601 instants, unknown properties refused, and bean
 * validation after every read and before every write.
 */
public final class EventCodec {
  private static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .addModule(new JavaTimeModule())
          .addModule(new Jdk8Module())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
          .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
          // strict types: "42" is not a number and 12 is not a time
          .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
          .addModule(
              new SimpleModule("strict-instants").addDeserializer(Instant.class, new RfcInstant()))
          .build();

  private static final ValidatorFactory VALIDATORS =
      Validation.byDefaultProvider()
          .configure()
          .messageInterpolator(new ParameterMessageInterpolator())
          .buildValidatorFactory();

  private EventCodec() {}

  /** The mapper every Goldsmith component uses for event JSON. */
  public static ObjectMapper mapper() {
    return MAPPER;
  }

  /** Validates and serializes an event. */
  public static String toJson(Object event) {
    requireValid(event);
    try {
      return MAPPER.writeValueAsString(event);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialize " + event.getClass().getSimpleName(), e);
    }
  }

  /**
   * Reads and validates an event.
   *
   * @throws InvalidEventException listing every problem: syntax, shape, or constraint violations
   */
  public static <T> T fromJson(String json, Class<T> type) {
    if (json == null || json.isBlank()) {
      throw new InvalidEventException(List.of("payload is empty"));
    }
    T value;
    try {
      value = MAPPER.readValue(json, type);
    } catch (UnrecognizedPropertyException e) {
      throw new InvalidEventException(
          List.of("unknown field '" + e.getPropertyName() + "' at " + path(e)), e);
    } catch (InvalidFormatException e) {
      throw new InvalidEventException(
          List.of("invalid value '" + e.getValue() + "' at " + path(e) + ": " + cause(e)), e);
    } catch (MismatchedInputException e) {
      throw new InvalidEventException(List.of("wrong shape at " + path(e) + ": " + cause(e)), e);
    } catch (JsonProcessingException e) {
      throw new InvalidEventException(List.of("malformed JSON: " + e.getOriginalMessage()), e);
    }
    requireValid(value);
    return value;
  }

  /** Every constraint violation of {@code value}, as {@code path: message}, sorted. */
  public static List<String> violations(Object value) {
    Validator validator = VALIDATORS.getValidator();
    Set<ConstraintViolation<Object>> found = validator.validate(value);
    return found.stream()
        .map(v -> v.getPropertyPath() + ": " + v.getMessage())
        .sorted(Comparator.naturalOrder())
        .collect(Collectors.toCollection(ArrayList::new));
  }

  /** Throws {@link InvalidEventException} listing every violation, if any. */
  public static void requireValid(Object value) {
    if (value == null) {
      throw new InvalidEventException(List.of("payload is null"));
    }
    List<String> errors = violations(value);
    if (!errors.isEmpty()) {
      throw new InvalidEventException(errors);
    }
  }

  private static String path(MismatchedInputException e) {
    String p =
        e.getPath().stream()
            .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
            .collect(Collectors.joining("."));
    return p.isEmpty() ? "$" : p.replace(".[", "[");
  }

  private static String cause(JsonProcessingException e) {
    String m = e.getOriginalMessage();
    int cut = m.indexOf('\n');
    return cut < 0 ? m : m.substring(0, cut);
  }

  /** Instants only as RFC 3339 text ({@code Z} or an offset); numbers are refused. */
  private static final class RfcInstant extends StdScalarDeserializer<Instant> {
    RfcInstant() {
      super(Instant.class);
    }

    @Override
    public Instant deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      if (p.currentToken() != JsonToken.VALUE_STRING) {
        return (Instant) ctxt.handleUnexpectedToken(Instant.class, p);
      }
      String text = p.getText();
      try {
        return OffsetDateTime.parse(text).toInstant();
      } catch (DateTimeParseException e) {
        return (Instant) ctxt.handleWeirdStringValue(Instant.class, text, "not an RFC 3339 time");
      }
    }
  }
}
