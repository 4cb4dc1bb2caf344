package dev.goldsmith.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

class KafkaEventsTest {

  @Test
  void recordCarriesKeyTopicAndCloudEventsHeaders() {
    PipelineEvent event = SampleEvents.all().get(1);
    ProducerRecord<String, String> record = KafkaEvents.toRecord(event, "/goldsmith/registry");
    assertThat(record.topic()).isEqualTo(Topics.BUILD_ACCEPTED);
    assertThat(record.key()).isEqualTo(SampleEvents.BUILD.toString());
    assertThat(CloudEventHeaders.get(record.headers(), "ce_type"))
        .contains("dev.goldsmith.build.accepted.v1");
    assertThat(CloudEventHeaders.get(record.headers(), "ce_specversion")).contains("1.0");
    assertThat(CloudEventHeaders.get(record.headers(), "ce_source"))
        .contains("/goldsmith/registry");
    assertThat(CloudEventHeaders.get(record.headers(), "ce_time")).contains("2026-11-25T10:15:30Z");
    assertThat(CloudEventHeaders.get(record.headers(), "ce_subject"))
        .contains(SampleEvents.BUILD.toString());
    assertThat(CloudEventHeaders.get(record.headers(), "content-type"))
        .contains("application/json");
    assertThat(CloudEventHeaders.problems(record.headers())).isEmpty();
    assertThat(KafkaEvents.decode(record.headers(), record.value())).isEqualTo(event);
  }

  @Test
  void missingOrForeignHeadersAreNamed() {
    RecordHeaders headers = new RecordHeaders();
    headers.add("ce_specversion", "0.3".getBytes(StandardCharsets.UTF_8));
    headers.add("ce_type", "com.example.other".getBytes(StandardCharsets.UTF_8));
    assertThatThrownBy(() -> KafkaEvents.decode(headers, "{}"))
        .isInstanceOfSatisfying(
            InvalidEventException.class,
            e ->
                assertThat(e.errors())
                    .contains(
                        "header ce_specversion must be 1.0 (was '0.3')",
                        "header ce_id is missing",
                        "header ce_source is missing",
                        "header ce_type 'com.example.other' is not a known event type"));
  }

  @Test
  void aRecordOfAnotherTypeIsRefusedWhenATypeIsExpected() {
    ProducerRecord<String, String> record =
        KafkaEvents.toRecord(SampleEvents.all().get(0), "/goldsmith/ci");
    assertThatThrownBy(
            () -> KafkaEvents.decode(record.headers(), record.value(), BuildAccepted.class))
        .hasMessageContaining(
            "expected ce_type dev.goldsmith.build.accepted.v1 but got"
                + " dev.goldsmith.build.requested.v1");
  }
}
