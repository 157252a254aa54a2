package dev.lakerank.contract.messages;

import static dev.lakerank.contract.messages.MessageSchema.optional;
import static dev.lakerank.contract.messages.MessageSchema.required;

import java.util.List;

/**
 * What a user did with an item of an earlier answer ({@code POST /v1/feedback}): written by the
 * serving API to its database table {@code feedback} and to Kafka topic {@code feedback}, read by
 * {@code lakerank stream logs} into Delta table {@code ml.feedback}; joins the answer on {@code
 * request_id}.
 *
 * <pre>{@code
 * {"request_id":"7f1c...","item_id":120,"event":"click","event_value":null,"received_at":"2026-03-01T12:00:04.5Z"}
 * }</pre>
 */
public final class FeedbackMessage {
  private FeedbackMessage() {}

  /** The Kafka topic, unless configured otherwise. */
  public static final String TOPIC = "feedback";

  public static final String REQUEST_ID = "request_id";
  public static final String ITEM_ID = "item_id";
  public static final String EVENT = "event";
  public static final String EVENT_VALUE = "event_value";
  public static final String RECEIVED_AT = "received_at";

  /** The events taken, as a regular expression (for request validation annotations). */
  public static final String EVENT_PATTERN = "click|purchase|dismiss|rating";

  /** The events taken. */
  public static final List<String> EVENTS = List.of(EVENT_PATTERN.split("\\|"));

  public static final MessageSchema SCHEMA =
      new MessageSchema(
          TOPIC,
          List.of(
              required(REQUEST_ID, FieldType.STRING, "The answer the item was part of."),
              required(ITEM_ID, FieldType.LONG, "The item."),
              required(EVENT, FieldType.STRING, "click, purchase, dismiss or rating."),
              optional(EVENT_VALUE, FieldType.DOUBLE, "The rating, for a rating."),
              required(RECEIVED_AT, FieldType.TIMESTAMP, "When the API took the feedback.")));
}
