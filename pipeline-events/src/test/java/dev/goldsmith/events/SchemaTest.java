package dev.goldsmith.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

/**
 * docs/schemas/ stays equal to the records (regenerate with {@code
 * -Dgoldsmith.schemas.write=true}), the examples of docs/events.md satisfy both the schemas and the
 * codec, and broken payloads fail.
 */
class SchemaTest {
  private static final ObjectMapper JSON = EventCodec.mapper();
  private static final JsonSchemaFactory FACTORY =
      JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);

  private static Path schemaFile(EventType type) {
    return RepoFiles.resolve("docs/schemas/" + type.schemaFile());
  }

  private static JsonSchema schema(EventType type) throws IOException {
    // formats (uuid, date-time) are assertions here, as a strict consumer would apply them
    return FACTORY.getSchema(
        JSON.readTree(Files.readString(schemaFile(type))),
        SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build());
  }

  @BeforeAll
  static void writeSchemasWhenAsked() throws IOException {
    if (!Boolean.getBoolean("goldsmith.schemas.write")) {
      return;
    }
    for (EventType type : EventType.values()) {
      Path file = schemaFile(type);
      Files.createDirectories(file.getParent());
      Files.writeString(
          file,
          JSON.writerWithDefaultPrettyPrinter().writeValueAsString(SchemaGenerator.schemaOf(type))
              + "\n");
    }
  }

  @ParameterizedTest
  @EnumSource(EventType.class)
  void committedSchemaEqualsTheRecord(EventType type) throws IOException {
    JsonNode generated = SchemaGenerator.schemaOf(type);
    Path file = schemaFile(type);
    assertThat(file).as("run with -Dgoldsmith.schemas.write=true to create it").exists();
    assertThat(JSON.readTree(Files.readString(file)))
        .as("%s is stale: run with -Dgoldsmith.schemas.write=true", file)
        .isEqualTo(generated);
  }

  @Test
  void everyExampleOfTheDocsIsValid() throws IOException {
    Map<EventType, String> examples = docExamples();
    assertThat(examples.keySet()).containsExactlyInAnyOrder(EventType.values());
    for (Map.Entry<EventType, String> e : examples.entrySet()) {
      Set<ValidationMessage> errors = schema(e.getKey()).validate(JSON.readTree(e.getValue()));
      assertThat(errors).as("example of %s", e.getKey()).isEmpty();
      assertThat(EventCodec.fromJson(e.getValue(), e.getKey().recordType())).isNotNull();
    }
  }

  @Test
  void samplesAreValidAgainstTheirSchemas() throws IOException {
    for (PipelineEvent event : SampleEvents.all()) {
      JsonNode json = JSON.readTree(EventCodec.toJson(event));
      assertThat(schema(event.type()).validate(json)).as(event.type().name()).isEmpty();
    }
  }

  @Test
  void brokenPayloadsAreRejectedBySchemaAndCodec() throws IOException {
    Map<EventType, String> examples = docExamples();
    List<Broken> broken = new ArrayList<>();
    broken.add(new Broken(EventType.BUILD_REQUESTED, "buildId", "remove", null));
    broken.add(new Broken(EventType.BUILD_REQUESTED, "buildId", "set", "\"not-a-uuid\""));
    broken.add(new Broken(EventType.BUILD_REQUESTED, "family", "set", "\"Vault Base\""));
    broken.add(new Broken(EventType.BUILD_REQUESTED, "colour", "set", "\"red\""));
    broken.add(new Broken(EventType.BUILD_ACCEPTED, "spec", "remove", null));
    broken.add(new Broken(EventType.BUILDER_READY, "serverId", "set", "\"42\""));
    broken.add(new Broken(EventType.BUILDER_CONFIGURED, "outcome", "set", "\"maybe\""));
    broken.add(new Broken(EventType.VERIFICATION_FINISHED, "verdict", "set", "\"FINE\""));
    broken.add(new Broken(EventType.IMAGE_PROMOTED, "promotedAt", "remove", null));
    broken.add(new Broken(EventType.BUILD_FAILED, "stage", "set", "\"lunch\""));
    broken.add(new Broken(EventType.SNAPSHOT_CREATED, "occurredAt", "set", "12"));
    for (Broken b : broken) {
      ObjectNode node = (ObjectNode) JSON.readTree(examples.get(b.type));
      if (b.op.equals("remove")) {
        node.remove(b.field);
      } else {
        node.set(b.field, JSON.readTree(b.value));
      }
      assertThat(schema(b.type).validate(node)).as("schema must reject %s", b).isNotEmpty();
      Throwable thrown =
          org.assertj.core.api.Assertions.catchThrowable(
              () -> EventCodec.fromJson(JSON.writeValueAsString(node), b.type.recordType()));
      assertThat(thrown).as("codec must reject %s", b).isInstanceOf(InvalidEventException.class);
    }
  }

  @ParameterizedTest
  @EnumSource(
      value = EventType.class,
      names = {"BUILDER_CONFIGURED", "SNAPSHOT_CREATED", "VERIFICATION_FINISHED"})
  void eventsWithoutProvenanceStayValidAndBadDigestsAreRejected(EventType type) throws IOException {
    ObjectNode node = (ObjectNode) JSON.readTree(docExamples().get(type));
    assertThat(node.has("provenance")).as("the example shows provenance").isTrue();
    ObjectNode old = node.deepCopy();
    old.remove("provenance");
    assertThat(schema(type).validate(old)).isEmpty();
    assertThat(EventCodec.fromJson(JSON.writeValueAsString(old), type.recordType())).isNotNull();

    ObjectNode bad = node.deepCopy();
    ((ObjectNode) bad.get("provenance")).put("rolesSha256", "ABC");
    assertThat(schema(type).validate(bad)).isNotEmpty();
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> EventCodec.fromJson(JSON.writeValueAsString(bad), type.recordType()))
        .isInstanceOf(InvalidEventException.class)
        .hasMessageContaining("provenance.rolesSha256");
  }

  private record Broken(EventType type, String field, String op, String value) {}

  /** The JSON block that follows each "### Example: <EventName>" heading of docs/events.md. */
  static Map<EventType, String> docExamples() throws IOException {
    String md = Files.readString(RepoFiles.resolve("docs/events.md"));
    Matcher m =
        Pattern.compile("### Example: (\\w+)\\s*\\n+```json\\n(.*?)\\n```", Pattern.DOTALL)
            .matcher(md);
    Map<EventType, String> out = new LinkedHashMap<>();
    while (m.find()) {
      String name = m.group(1);
      EventType type =
          java.util.Arrays.stream(EventType.values())
              .filter(t -> t.recordType().getSimpleName().equals(name))
              .findFirst()
              .orElseThrow(() -> new AssertionError("docs/events.md: unknown event " + name));
      out.put(type, m.group(2));
    }
    return out;
  }
}
