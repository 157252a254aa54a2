package dev.lakerank.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lakerank.contract.messages.FeedbackMessage;
import dev.lakerank.contract.messages.PredictionMessage;
import dev.lakerank.serving.log.FeedbackEntry;
import dev.lakerank.serving.log.KafkaLogMessages;
import dev.lakerank.serving.log.PredictionEntry;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The Kafka log's JSON is exactly what {@code lakerank stream logs} reads: the field names and
 * order of PredictionMessage and FeedbackMessage (the contracts module), real JSON arrays, nulls
 * where a value is missing or not finite, ISO-8601 UTC instants to the microsecond. Parsed back
 * with Jackson.
 */
class KafkaLogMessagesTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Instant AT = Instant.parse("2026-03-01T12:00:00.123456789Z");

  private static JsonNode parse(byte[] value) throws Exception {
    return JSON.readTree(value);
  }

  private static List<String> fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }

  @Test
  void aRecommendationIsOneObjectWithEveryFieldTheStreamParses() throws Exception {
    PredictionEntry entry =
        new PredictionEntry(
            null,
            "req-1",
            "recommendations",
            5L,
            "[120,131,7]",
            "[0.71,0.42,1.0E-5]",
            "recommender@3",
            "ranker@5",
            false,
            1840,
            AT);
    JsonNode message = parse(KafkaLogMessages.value(entry));

    assertThat(fieldNames(message))
        .containsExactly(
            "request_id",
            "endpoint",
            "user_id",
            "items",
            "scores",
            "recommender",
            "ranker",
            "fallback",
            "latency_micros",
            "created_at");
    assertThat(fieldNames(message)).isEqualTo(PredictionMessage.SCHEMA.fieldNames());
    assertThat(message.get("request_id").isTextual()).isTrue();
    assertThat(message.get("request_id").asText()).isEqualTo("req-1");
    assertThat(message.get("endpoint").asText()).isEqualTo("recommendations");
    assertThat(message.get("user_id").isIntegralNumber()).isTrue();
    assertThat(message.get("user_id").asLong()).isEqualTo(5);
    assertThat(message.get("items").isArray()).isTrue();
    assertThat(message.get("items")).extracting(JsonNode::isIntegralNumber).containsOnly(true);
    assertThat(message.get("items")).extracting(JsonNode::asLong).containsExactly(120L, 131L, 7L);
    assertThat(message.get("scores").isArray()).isTrue();
    assertThat(message.get("scores")).extracting(JsonNode::isNumber).containsOnly(true);
    assertThat(message.get("scores"))
        .extracting(JsonNode::asDouble)
        .containsExactly(0.71, 0.42, 1.0E-5);
    assertThat(message.get("recommender").asText()).isEqualTo("recommender@3");
    assertThat(message.get("ranker").asText()).isEqualTo("ranker@5");
    assertThat(message.get("fallback").isBoolean()).isTrue();
    assertThat(message.get("fallback").asBoolean()).isFalse();
    assertThat(message.get("latency_micros").isIntegralNumber()).isTrue();
    assertThat(message.get("latency_micros").asLong()).isEqualTo(1840);
    // a Spark timestamp holds microseconds: the nanoseconds are cut, the zone is UTC
    assertThat(message.get("created_at").asText()).isEqualTo("2026-03-01T12:00:00.123456Z");
  }

  @Test
  void aPredictionWithoutUserNorRecommenderAndANonFiniteScoreHasNulls() throws Exception {
    // RankingService writes null for NaN already; a NaN that reaches the entry is written as null
    // too
    PredictionEntry entry =
        new PredictionEntry(
            null,
            "req-2",
            "predict/batch",
            null,
            "[12,13,14]",
            "[0.5,null,NaN]",
            null,
            "ranker@5",
            true,
            0,
            Instant.parse("2026-03-01T12:00:00Z"));
    JsonNode message = parse(KafkaLogMessages.value(entry));

    assertThat(fieldNames(message)).isEqualTo(PredictionMessage.SCHEMA.fieldNames());
    assertThat(message.get("user_id").isNull()).isTrue();
    assertThat(message.get("recommender").isNull()).isTrue();
    assertThat(message.get("items")).extracting(JsonNode::asLong).containsExactly(12L, 13L, 14L);
    JsonNode scores = message.get("scores");
    assertThat(scores).hasSize(3);
    assertThat(scores.get(0).asDouble()).isEqualTo(0.5);
    assertThat(scores.get(1).isNull()).isTrue();
    assertThat(scores.get(2).isNull()).isTrue();
    assertThat(message.get("fallback").asBoolean()).isTrue();
    assertThat(message.get("created_at").asText()).isEqualTo("2026-03-01T12:00:00Z");
    // standard JSON: no NaN token anywhere
    assertThat(new String(KafkaLogMessages.value(entry), StandardCharsets.UTF_8))
        .doesNotContain("NaN");
  }

  @Test
  void feedbackIsOneObjectWithANullValueWhenThereIsNone() throws Exception {
    JsonNode click =
        parse(KafkaLogMessages.value(new FeedbackEntry(null, "req-1", 120, "click", null, AT)));
    JsonNode rating =
        parse(KafkaLogMessages.value(new FeedbackEntry(null, "req-1", 131, "rating", 4.5, AT)));
    JsonNode nonFinite =
        parse(
            KafkaLogMessages.value(
                new FeedbackEntry(null, "req-1", 131, "rating", Double.NaN, AT)));

    assertThat(fieldNames(click))
        .containsExactly("request_id", "item_id", "event", "event_value", "received_at");
    assertThat(fieldNames(click)).isEqualTo(FeedbackMessage.SCHEMA.fieldNames());
    assertThat(click.get("request_id").asText()).isEqualTo("req-1");
    assertThat(click.get("item_id").isIntegralNumber()).isTrue();
    assertThat(click.get("item_id").asLong()).isEqualTo(120);
    assertThat(click.get("event").asText()).isEqualTo("click");
    assertThat(click.get("event_value").isNull()).isTrue();
    assertThat(click.get("received_at").asText()).isEqualTo("2026-03-01T12:00:00.123456Z");
    assertThat(rating.get("event_value").isNumber()).isTrue();
    assertThat(rating.get("event_value").asDouble()).isEqualTo(4.5);
    assertThat(nonFinite.get("event_value").isNull()).isTrue();
  }

  @Test
  void theKeyIsTheRequestIdInUtf8() {
    assertThat(KafkaLogMessages.key(new FeedbackEntry(null, "réq-é", 1, "click", null, AT)))
        .isEqualTo("réq-é".getBytes(StandardCharsets.UTF_8));
    assertThat(
            KafkaLogMessages.key(
                new PredictionEntry(
                    null, "req-9", "rank", 1L, "[1]", "[0.5]", null, "ranker@1", false, 1, AT)))
        .isEqualTo("req-9".getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void refusesItemsThatAreNotAnArrayOfIds() {
    PredictionEntry entry =
        new PredictionEntry(
            null, "req-3", "rank", 1L, "[1.5]", "[0.5]", null, "ranker@1", false, 1, AT);
    assertThatThrownBy(() -> KafkaLogMessages.value(entry))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("items of answer req-3 is not a JSON array of item ids: [1.5]");
  }
}
