package dev.lakerank.contract.messages;

import static dev.lakerank.contract.messages.MessageSchema.optional;
import static dev.lakerank.contract.messages.MessageSchema.required;

import java.util.List;

/**
 * One interaction event as upstream systems send it: a line of an events file (JSON lines or CSV,
 * what {@code lakerank generate} writes) or a message of Kafka topic {@code events} (what {@code
 * lakerank produce} sends). {@code ingest} and {@code stream ingest} keep every field as text in
 * {@code bronze.events}; {@code transform} checks and types them into {@code silver.interactions}
 * with these types. A field's JSON value may be a number or its text.
 */
public final class EventMessage {
  private EventMessage() {}

  public static final String EVENT_ID = "event_id";
  public static final String IMPRESSION_ID = "impression_id";
  public static final String USER_ID = "user_id";
  public static final String ITEM_ID = "item_id";
  public static final String EVENT_TYPE = "event_type";
  public static final String EVENT_TIME = "event_time";
  public static final String DEVICE = "device";
  public static final String SESSION_ID = "session_id";
  public static final String DWELL_MS = "dwell_ms";
  public static final String PRICE = "price";
  public static final String RATING = "rating";

  /** The event types, as {@code event_type} names them. */
  public static final List<String> EVENT_TYPES =
      List.of("impression", "click", "purchase", "rating");

  /** The devices {@code device} may name (it may also be absent: MovieLens has none). */
  public static final List<String> DEVICES = List.of("mobile", "desktop", "tablet", "tv");

  public static final MessageSchema SCHEMA =
      new MessageSchema(
          "events",
          List.of(
              required(EVENT_ID, FieldType.STRING, "Unique per event; a re-delivery repeats it."),
              optional(
                  IMPRESSION_ID,
                  FieldType.STRING,
                  "For clicks and purchases: the event id of the impression they follow."),
              required(USER_ID, FieldType.LONG, "The user."),
              required(ITEM_ID, FieldType.LONG, "The item."),
              required(EVENT_TYPE, FieldType.STRING, "impression, click, purchase or rating."),
              required(EVENT_TIME, FieldType.TIMESTAMP, "When it happened."),
              optional(DEVICE, FieldType.STRING, "mobile, desktop, tablet or tv."),
              optional(SESSION_ID, FieldType.STRING, "The user's session."),
              optional(
                  DWELL_MS,
                  FieldType.LONG,
                  "For clicks: how long the user stayed on the item, in milliseconds."),
              optional(PRICE, FieldType.DOUBLE, "For purchases: the amount paid."),
              optional(RATING, FieldType.DOUBLE, "For ratings: 0.5 to 5.")));
}
