package dev.lakerank.contract.messages;

import static dev.lakerank.contract.messages.MessageSchema.optional;
import static dev.lakerank.contract.messages.MessageSchema.required;

import java.util.List;

/**
 * One answer of the serving API: written by the API to its database table {@code prediction_log}
 * and to Kafka topic {@code predictions} (one JSON object per answer, keyed by request id), read by
 * {@code lakerank stream logs} into Delta table {@code ml.prediction_log}.
 *
 * <pre>{@code
 * {"request_id":"7f1c...","endpoint":"recommendations","user_id":5,"items":[120,131],"scores":[0.71,0.42],
 *  "recommender":"recommender@3","ranker":"ranker@5","fallback":false,"latency_micros":1840,
 *  "created_at":"2026-03-01T12:00:00.123456Z"}
 * }</pre>
 */
public final class PredictionMessage {
  private PredictionMessage() {}

  /** The Kafka topic, unless configured otherwise. */
  public static final String TOPIC = "predictions";

  public static final String REQUEST_ID = "request_id";
  public static final String ENDPOINT = "endpoint";
  public static final String USER_ID = "user_id";
  public static final String ITEMS = "items";
  public static final String SCORES = "scores";
  public static final String RECOMMENDER = "recommender";
  public static final String RANKER = "ranker";
  public static final String FALLBACK = "fallback";
  public static final String LATENCY_MICROS = "latency_micros";
  public static final String CREATED_AT = "created_at";

  public static final MessageSchema SCHEMA =
      new MessageSchema(
          TOPIC,
          List.of(
              required(REQUEST_ID, FieldType.STRING, "The answer's id; feedback names it."),
              required(
                  ENDPOINT,
                  FieldType.STRING,
                  "recommendations, rank, predict or predict_batch: the call answered."),
              optional(USER_ID, FieldType.LONG, "The user, when the call named one."),
              required(ITEMS, FieldType.LONG_ARRAY, "The item ids answered, in rank order."),
              required(
                  SCORES,
                  FieldType.DOUBLE_ARRAY,
                  "Their scores, in the same order; null for one that is not finite."),
              optional(
                  RECOMMENDER,
                  FieldType.STRING,
                  "The candidate generator, name@version; null when none answered (predict)."),
              required(RANKER, FieldType.STRING, "The ranker, name@version."),
              required(
                  FALLBACK,
                  FieldType.BOOLEAN,
                  "True when the user was unknown and the candidates were the popular items."),
              required(
                  LATENCY_MICROS, FieldType.LONG, "The time taken to answer, in microseconds."),
              required(CREATED_AT, FieldType.TIMESTAMP, "When the answer was made.")));
}
