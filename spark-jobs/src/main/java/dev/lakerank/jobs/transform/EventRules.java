package dev.lakerank.jobs.transform;

import static org.apache.spark.sql.functions.col;

import dev.lakerank.jobs.tables.EventType;
import dev.lakerank.jobs.tables.SilverInteractions;
import dev.lakerank.jobs.tables.SilverItems;
import dev.lakerank.jobs.tables.SilverUsers;
import dev.lakerank.jobs.validate.Expectation;
import dev.lakerank.jobs.validate.Expectations;
import dev.lakerank.jobs.validate.Values;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.apache.spark.sql.Column;

/**
 * The expectations each kind of bronze row must meet to enter silver, in the order they are
 * reported, and how each field is read ({@link ParsedFields}).
 */
public final class EventRules {
  /** Set by the transform: true when the row's user id is in silver.users. */
  public static final String KNOWN_USER = "_known_user";

  /** Set by the transform: true when the row's item id is in silver.items. */
  public static final String KNOWN_ITEM = "_known_item";

  private static final double MAX_DWELL_MS = 24 * 3_600_000.0;
  private static final String WHOLE_NUMBER = "a whole number";
  private static final String NUMBER = "a number";
  private static final String TIMESTAMP = "a timestamp (ISO-8601 or epoch seconds)";

  /** How the fields of an event are read. */
  public static final Map<String, UnaryOperator<Column>> EVENT_FIELDS;

  /** How the fields of a user record are read. */
  public static final Map<String, UnaryOperator<Column>> USER_FIELDS;

  /** How the fields of a catalogue record are read. */
  public static final Map<String, UnaryOperator<Column>> ITEM_FIELDS;

  static {
    Map<String, UnaryOperator<Column>> events = new LinkedHashMap<>();
    events.put(SilverInteractions.USER_ID, Values::asLong);
    events.put(SilverInteractions.ITEM_ID, Values::asLong);
    events.put(SilverInteractions.EVENT_TYPE, Values::asKeyword);
    events.put(SilverInteractions.EVENT_TIME, Values::asTimestamp);
    events.put(SilverInteractions.DEVICE, Values::asKeyword);
    events.put(SilverInteractions.DWELL_MS, Values::asLong);
    events.put(SilverInteractions.PRICE, Values::asDouble);
    events.put(SilverInteractions.RATING, Values::asDouble);
    EVENT_FIELDS = Collections.unmodifiableMap(events);
    Map<String, UnaryOperator<Column>> users = new LinkedHashMap<>();
    users.put(SilverUsers.USER_ID, Values::asLong);
    users.put(SilverUsers.SIGNUP_TIME, Values::asTimestamp);
    USER_FIELDS = Collections.unmodifiableMap(users);
    Map<String, UnaryOperator<Column>> items = new LinkedHashMap<>();
    items.put(SilverItems.ITEM_ID, Values::asLong);
    items.put(SilverItems.PRICE, Values::asDouble);
    items.put(SilverItems.CREATED_TIME, Values::asTimestamp);
    ITEM_FIELDS = Collections.unmodifiableMap(items);
  }

  private EventRules() {}

  /**
   * Rules for interaction events, on rows with {@link #EVENT_FIELDS} parsed.
   *
   * @param now the current time; events later than {@code now + futureTolerance} are rejected
   * @param checkUsers whether user ids must be in silver.users (false when the data set has no
   *     users source and users are derived from events)
   * @param checkItems likewise for items
   */
  public static List<Expectation> events(
      Instant now, Duration futureTolerance, boolean checkUsers, boolean checkItems) {
    return events(
        Expectations.notInFuture(
            SilverInteractions.EVENT_TIME,
            ParsedFields.of(SilverInteractions.EVENT_TIME),
            now,
            futureTolerance),
        checkUsers,
        checkItems);
  }

  /**
   * The same rules for a stream: an event is in the future when it is later than {@code received}
   * (a column: the time its message reached Kafka) plus {@code futureTolerance}.
   */
  public static List<Expectation> events(
      Column received, Duration futureTolerance, boolean checkUsers, boolean checkItems) {
    return events(
        Expectations.notInFuture(
            SilverInteractions.EVENT_TIME,
            ParsedFields.of(SilverInteractions.EVENT_TIME),
            received,
            futureTolerance),
        checkUsers,
        checkItems);
  }

  private static List<Expectation> events(
      Expectation notInFuture, boolean checkUsers, boolean checkItems) {
    List<Expectation> rules = new ArrayList<>();
    rules.add(Expectations.wellFormed());
    for (String field :
        List.of(
            SilverInteractions.EVENT_ID,
            SilverInteractions.USER_ID,
            SilverInteractions.ITEM_ID,
            SilverInteractions.EVENT_TYPE,
            SilverInteractions.EVENT_TIME)) {
      rules.add(Expectations.required(field));
    }
    rules.add(
        Expectations.parses(
            SilverInteractions.USER_ID, ParsedFields.of(SilverInteractions.USER_ID), WHOLE_NUMBER));
    rules.add(
        Expectations.atLeast(
            SilverInteractions.USER_ID, ParsedFields.of(SilverInteractions.USER_ID), 1));
    rules.add(
        Expectations.parses(
            SilverInteractions.ITEM_ID, ParsedFields.of(SilverInteractions.ITEM_ID), WHOLE_NUMBER));
    rules.add(
        Expectations.atLeast(
            SilverInteractions.ITEM_ID, ParsedFields.of(SilverInteractions.ITEM_ID), 1));
    rules.add(
        Expectations.allowed(
            SilverInteractions.EVENT_TYPE,
            ParsedFields.of(SilverInteractions.EVENT_TYPE),
            EventType.allValues()));
    rules.add(
        Expectations.parses(
            SilverInteractions.EVENT_TIME,
            ParsedFields.of(SilverInteractions.EVENT_TIME),
            TIMESTAMP));
    rules.add(notInFuture);
    rules.add(
        Expectations.allowed(
            SilverInteractions.DEVICE,
            ParsedFields.of(SilverInteractions.DEVICE),
            SilverInteractions.DEVICES));
    rules.add(
        Expectations.parses(
            SilverInteractions.DWELL_MS,
            ParsedFields.of(SilverInteractions.DWELL_MS),
            WHOLE_NUMBER));
    rules.add(
        Expectations.range(
            SilverInteractions.DWELL_MS,
            ParsedFields.of(SilverInteractions.DWELL_MS),
            0,
            MAX_DWELL_MS));
    rules.add(
        Expectations.parses(
            SilverInteractions.PRICE, ParsedFields.of(SilverInteractions.PRICE), NUMBER));
    rules.add(
        Expectations.range(
            SilverInteractions.PRICE, ParsedFields.of(SilverInteractions.PRICE), 0, 1e9));
    Column isRating =
        ParsedFields.of(SilverInteractions.EVENT_TYPE).equalTo(EventType.RATING.value());
    rules.add(Expectations.required(SilverInteractions.RATING).onlyWhen(isRating));
    rules.add(
        Expectations.parses(
            SilverInteractions.RATING, ParsedFields.of(SilverInteractions.RATING), NUMBER));
    rules.add(
        Expectations.range(
            SilverInteractions.RATING, ParsedFields.of(SilverInteractions.RATING), 0.5, 5));
    if (checkUsers) {
      rules.add(
          Expectations.known(
              SilverInteractions.USER_ID, col(KNOWN_USER), SilverUsers.NAME.toString()));
    }
    if (checkItems) {
      rules.add(
          Expectations.known(
              SilverInteractions.ITEM_ID, col(KNOWN_ITEM), SilverItems.NAME.toString()));
    }
    return rules;
  }

  /** Rules for user records, on rows with {@link #USER_FIELDS} parsed. */
  public static List<Expectation> users(Instant now, Duration futureTolerance) {
    return List.of(
        Expectations.wellFormed(),
        Expectations.required(SilverUsers.USER_ID),
        Expectations.parses(
            SilverUsers.USER_ID, ParsedFields.of(SilverUsers.USER_ID), WHOLE_NUMBER),
        Expectations.atLeast(SilverUsers.USER_ID, ParsedFields.of(SilverUsers.USER_ID), 1),
        Expectations.parses(
            SilverUsers.SIGNUP_TIME, ParsedFields.of(SilverUsers.SIGNUP_TIME), TIMESTAMP),
        Expectations.notInFuture(
            SilverUsers.SIGNUP_TIME,
            ParsedFields.of(SilverUsers.SIGNUP_TIME),
            now,
            futureTolerance));
  }

  /** Rules for catalogue records, on rows with {@link #ITEM_FIELDS} parsed. */
  public static List<Expectation> items(Instant now, Duration futureTolerance) {
    return List.of(
        Expectations.wellFormed(),
        Expectations.required(SilverItems.ITEM_ID),
        Expectations.parses(
            SilverItems.ITEM_ID, ParsedFields.of(SilverItems.ITEM_ID), WHOLE_NUMBER),
        Expectations.atLeast(SilverItems.ITEM_ID, ParsedFields.of(SilverItems.ITEM_ID), 1),
        Expectations.required(SilverItems.CATEGORY),
        Expectations.parses(SilverItems.PRICE, ParsedFields.of(SilverItems.PRICE), NUMBER),
        Expectations.range(SilverItems.PRICE, ParsedFields.of(SilverItems.PRICE), 0, 1e9),
        Expectations.parses(
            SilverItems.CREATED_TIME, ParsedFields.of(SilverItems.CREATED_TIME), TIMESTAMP),
        Expectations.notInFuture(
            SilverItems.CREATED_TIME,
            ParsedFields.of(SilverItems.CREATED_TIME),
            now,
            futureTolerance));
  }
}
