package dev.lakerank.serving.log;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * The JSON of the Kafka log's messages, one object per entry, exactly as {@code lakerank stream
 * logs} reads them into {@code ml.prediction_log} and {@code ml.feedback} (the streaming module's
 * {@code LogMessages}, with the field lists of {@code PredictionLog.MESSAGE_FIELDS} and {@code
 * FeedbackLog.MESSAGE_FIELDS}, which the end-to-end test compares with {@link #PREDICTION_FIELDS}
 * and {@link #FEEDBACK_FIELDS}).
 *
 * <pre>{@code
 * {"request_id":"7f1c...","endpoint":"recommendations","user_id":5,"items":[120,131],"scores":[0.71,0.42],
 *  "recommender":"recommender@3","ranker":"ranker@5","fallback":false,"latency_micros":1840,
 *  "created_at":"2026-03-01T12:00:00.123456Z"}
 * {"request_id":"7f1c...","item_id":120,"event":"click","event_value":null,"received_at":"2026-03-01T12:00:04.5Z"}
 * }</pre>
 *
 * Times are ISO-8601 instants in UTC to the microsecond (what a Spark timestamp holds); a score or
 * an event value that is not finite is {@code null}, as JSON has no NaN.
 */
public final class KafkaLogMessages {
  /** The fields of a {@code predictions} message, in order. */
  public static final List<String> PREDICTION_FIELDS =
      List.of(
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

  /** The fields of a {@code feedback} message, in order. */
  public static final List<String> FEEDBACK_FIELDS =
      List.of("request_id", "item_id", "event", "event_value", "received_at");

  private static final JsonFactory JSON =
      JsonFactory.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();

  private KafkaLogMessages() {}

  /**
   * The message key: the request id in UTF-8, so an answer and its feedback go to the same
   * partition.
   */
  public static byte[] key(LogEntry entry) {
    return entry.requestId().getBytes(StandardCharsets.UTF_8);
  }

  /** The message value: the entry as one JSON object in UTF-8. */
  public static byte[] value(LogEntry entry) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    try (JsonGenerator json = JSON.createGenerator(out)) {
      if (entry instanceof PredictionEntry answer) {
        write(json, answer);
      } else {
        write(json, (FeedbackEntry) entry);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private static void write(JsonGenerator json, PredictionEntry entry) throws IOException {
    List<String> f = PREDICTION_FIELDS;
    json.writeStartObject();
    json.writeStringField(f.get(0), entry.requestId());
    json.writeStringField(f.get(1), entry.endpoint());
    json.writeFieldName(f.get(2));
    if (entry.userId() == null) {
      json.writeNull();
    } else {
      json.writeNumber(entry.userId());
    }
    json.writeFieldName(f.get(3));
    copyArray(json, entry.items(), true, entry.requestId(), "items");
    json.writeFieldName(f.get(4));
    copyArray(json, entry.scores(), false, entry.requestId(), "scores");
    json.writeStringField(f.get(5), entry.recommender());
    json.writeStringField(f.get(6), entry.ranker());
    json.writeBooleanField(f.get(7), entry.fallback());
    json.writeNumberField(f.get(8), entry.latencyMicros());
    json.writeStringField(f.get(9), instant(entry.createdAt()));
    json.writeEndObject();
  }

  private static void write(JsonGenerator json, FeedbackEntry entry) throws IOException {
    List<String> f = FEEDBACK_FIELDS;
    json.writeStartObject();
    json.writeStringField(f.get(0), entry.requestId());
    json.writeNumberField(f.get(1), entry.itemId());
    json.writeStringField(f.get(2), entry.event());
    json.writeFieldName(f.get(3));
    number(json, entry.eventValue());
    json.writeStringField(f.get(4), instant(entry.receivedAt()));
    json.writeEndObject();
  }

  private static String instant(Instant instant) {
    return instant.truncatedTo(ChronoUnit.MICROS).toString();
  }

  private static void number(JsonGenerator json, Double value) throws IOException {
    if (value == null || !Double.isFinite(value)) {
      json.writeNull();
    } else {
      json.writeNumber(value);
    }
  }

  /**
   * Re-emits the entry's JSON-array text (as {@code prediction_log} keeps it) as a real array:
   * whole numbers for item ids; numbers or null (for a non-finite one) for scores.
   */
  private static void copyArray(
      JsonGenerator json, String text, boolean wholeNumbers, String requestId, String field)
      throws IOException {
    try (JsonParser parser = JSON.createParser(text)) {
      if (parser.nextToken() != JsonToken.START_ARRAY) {
        throw notAnArray(requestId, field, text);
      }
      json.writeStartArray();
      for (JsonToken token = parser.nextToken();
          token != JsonToken.END_ARRAY;
          token = parser.nextToken()) {
        if (token == JsonToken.VALUE_NUMBER_INT) {
          json.writeNumber(parser.getLongValue());
        } else if (!wholeNumbers
            && (token == JsonToken.VALUE_NUMBER_FLOAT || token == JsonToken.VALUE_NULL)) {
          number(json, token == JsonToken.VALUE_NULL ? null : parser.getDoubleValue());
        } else {
          throw notAnArray(requestId, field, text);
        }
      }
      if (parser.nextToken() != null) {
        throw notAnArray(requestId, field, text);
      }
      json.writeEndArray();
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw notAnArray(requestId, field, text);
    }
  }

  private static IllegalArgumentException notAnArray(String requestId, String field, String text) {
    return new IllegalArgumentException(
        "the "
            + field
            + " of answer "
            + requestId
            + " is not a JSON array of "
            + (field.equals("items") ? "item ids" : "numbers")
            + ": "
            + (text.length() > 200 ? text.substring(0, 200) + "..." : text)
            + "; this is a bug in the serving API, please report it");
  }
}
