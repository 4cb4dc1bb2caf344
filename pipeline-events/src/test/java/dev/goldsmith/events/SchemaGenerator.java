package dev.goldsmith.events;

import java.time.Instant;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.victools.jsonschema.generator.Option;
import com.github.victools.jsonschema.generator.OptionPreset;
import com.github.victools.jsonschema.generator.SchemaGeneratorConfigBuilder;
import com.github.victools.jsonschema.generator.SchemaVersion;
import com.github.victools.jsonschema.module.jackson.JacksonModule;
import com.github.victools.jsonschema.module.jackson.JacksonOption;
import com.github.victools.jsonschema.module.jakarta.validation.JakartaValidationModule;
import com.github.victools.jsonschema.module.jakarta.validation.JakartaValidationOption;

/**
 * Derives the JSON Schema of an event from its record, so docs/schemas/ can be compared with (and
 * regenerated from) the code.
 */
final class SchemaGenerator {
  private static final com.github.victools.jsonschema.generator.SchemaGenerator GENERATOR;

  static {
    SchemaGeneratorConfigBuilder config =
        new SchemaGeneratorConfigBuilder(SchemaVersion.DRAFT_2020_12, OptionPreset.PLAIN_JSON)
            .with(
                new JacksonModule(
                    JacksonOption.FLATTENED_ENUMS_FROM_JSONVALUE,
                    JacksonOption.FLATTENED_ENUMS_FROM_JSONPROPERTY,
                    JacksonOption.RESPECT_JSONPROPERTY_REQUIRED))
            .with(
                new JakartaValidationModule(
                    JakartaValidationOption.NOT_NULLABLE_FIELD_IS_REQUIRED,
                    JakartaValidationOption.INCLUDE_PATTERN_EXPRESSIONS))
            .with(Option.FORBIDDEN_ADDITIONAL_PROPERTIES_BY_DEFAULT)
            .with(Option.MAP_VALUES_AS_ADDITIONAL_PROPERTIES)
            .with(Option.DEFINITIONS_FOR_ALL_OBJECTS)
            .with(Option.NULLABLE_FIELDS_BY_DEFAULT);
    config
        .forTypesInGeneral()
        .withStringFormatResolver(
            scope -> {
              Class<?> type = scope.getType().getErasedType();
              if (type == Instant.class) {
                return "date-time";
              }
              if (type == UUID.class) {
                return "uuid";
              }
              return null;
            });
    config
        .forFields()
        .withNullableCheck(
            field ->
                field.getAnnotationConsideringFieldAndGetter(
                            jakarta.validation.constraints.NotNull.class)
                        == null
                    && field.getAnnotationConsideringFieldAndGetter(
                            jakarta.validation.constraints.NotBlank.class)
                        == null
                    && field.getAnnotationConsideringFieldAndGetter(
                            jakarta.validation.constraints.NotEmpty.class)
                        == null
                    && !field.getType().getErasedType().isPrimitive());
    GENERATOR = new com.github.victools.jsonschema.generator.SchemaGenerator(config.build());
  }

  private SchemaGenerator() {}

  static JsonNode schemaOf(EventType type) {
    ObjectNode schema = GENERATOR.generateSchema(type.recordType());
    ObjectNode out = schema.objectNode();
    out.put("$schema", schema.get("$schema").asText());
    out.put("$id", "https://goldsmith.dev/schemas/" + type.schemaFile());
    out.put("title", type.recordType().getSimpleName());
    out.put(
        "description",
        "Value of a Kafka record on topic "
            + type.topic()
            + " with header ce_type="
            + type.ceType()
            + " (CloudEvents 1.0, binary mode; key = buildId).");
    schema
        .fields()
        .forEachRemaining(
            e -> {
              if (!e.getKey().equals("$schema")) {
                out.set(e.getKey(), e.getValue());
              }
            });
    try {
      // through text once, so numbers compare equal to a schema read back from a file
      return EventCodec.mapper().readTree(EventCodec.mapper().writeValueAsString(out));
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
