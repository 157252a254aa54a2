package dev.lakerank.serving.log;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import dev.lakerank.contract.messages.FeedbackMessage;
import dev.lakerank.contract.messages.PredictionMessage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * The JSON of the Kafka log's messages, one object per entry: the fields of {@link
 * PredictionMessage} and {@link FeedbackMessage} in their order, as {@code lakerank stream logs}
 * reads them into {@code ml.prediction_log} and {@code ml.feedback}.
 *
 * <p>Times are ISO-8601 instants in UTC to the microsecond (what a Spark timestamp holds); a score
 * or an event value that is not finite is {@code null}, as JSON has no NaN.
 */
public final class KafkaLogMessages {
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
    json.writeStartObject();
    json.writeStringField(PredictionMessage.REQUEST_ID, entry.requestId());
    json.writeStringField(PredictionMessage.ENDPOINT, entry.endpoint());
    json.writeFieldName(PredictionMessage.USER_ID);
    if (entry.userId() == null) {
      json.writeNull();
    } else {
      json.writeNumber(entry.userId());
    }
    json.writeFieldName(PredictionMessage.ITEMS);
    copyArray(json, entry.items(), true, entry.requestId(), "items");
    json.writeFieldName(PredictionMessage.SCORES);
    copyArray(json, entry.scores(), false, entry.requestId(), "scores");
    json.writeStringField(PredictionMessage.RECOMMENDER, entry.recommender());
    json.writeStringField(PredictionMessage.RANKER, entry.ranker());
    json.writeBooleanField(PredictionMessage.FALLBACK, entry.fallback());
    json.writeNumberField(PredictionMessage.LATENCY_MICROS, entry.latencyMicros());
    json.writeStringField(PredictionMessage.CREATED_AT, instant(entry.createdAt()));
    json.writeEndObject();
  }

  private static void write(JsonGenerator json, FeedbackEntry entry) throws IOException {
    json.writeStartObject();
    json.writeStringField(FeedbackMessage.REQUEST_ID, entry.requestId());
    json.writeNumberField(FeedbackMessage.ITEM_ID, entry.itemId());
    json.writeStringField(FeedbackMessage.EVENT, entry.event());
    json.writeFieldName(FeedbackMessage.EVENT_VALUE);
    number(json, entry.eventValue());
    json.writeStringField(FeedbackMessage.RECEIVED_AT, instant(entry.receivedAt()));
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
