package dev.lakerank.jobs.generate;

import dev.lakerank.contract.messages.EventMessage;
import java.io.Serializable;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Writes an impression and what followed it as the JSON lines an upstream event log would hold,
 * with the configured share of corrupted and duplicated lines. Corruption and duplication draw from
 * their own random stream, so changing their rates leaves the clean events as they were.
 */
final class EventLines implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final long DIRT_STREAM = 8;
  private static final long FUTURE_SHIFT_MILLIS = 3_650L * 86_400_000L;

  /**
   * One line of the events log, with the date of the directory it is written to.
   *
   * @param corrupted whether the line carries an injected {@link Corruption}
   * @param copy whether the line repeats the one before it (an at-least-once re-delivery)
   */
  record Line(String date, String json, boolean corrupted, boolean copy) {}

  private final GenerateSettings settings;

  EventLines(GenerateSettings settings) {
    this.settings = settings;
  }

  /** The lines for {@code impression}, in event order. */
  List<Line> lines(Impression impression) {
    List<Line> lines = new ArrayList<>(4);
    add(lines, impression, 0, "impression", impression.impressionId(), impression.timeMillis());
    if (impression.clicked()) {
      add(lines, impression, 1, "click", impression.clickId(), impression.clickMillis());
    }
    if (impression.purchased()) {
      add(lines, impression, 2, "purchase", impression.purchaseId(), impression.purchaseMillis());
    }
    if (impression.rated()) {
      add(lines, impression, 3, "rating", impression.ratingId(), impression.ratingMillis());
    }
    return lines;
  }

  /** The corruption of event {@code ordinal} of impression {@code n}, or null when it is clean. */
  Corruption corruption(long n, int ordinal) {
    SplittableRandom random = RandomStreams.of(settings.seed(), DIRT_STREAM, n * 4 + ordinal);
    if (random.nextDouble() >= settings.dirtyFraction()) {
      return null;
    }
    List<Corruption> kinds = Corruption.applicableTo(ordinal);
    return kinds.get(random.nextInt(kinds.size()));
  }

  private boolean duplicated(long n, int ordinal) {
    SplittableRandom random = RandomStreams.of(settings.seed(), DIRT_STREAM + 1, n * 4 + ordinal);
    return random.nextDouble() < settings.duplicateFraction();
  }

  private void add(
      List<Line> lines,
      Impression impression,
      int ordinal,
      String type,
      String eventId,
      long millis) {
    Corruption corruption = corruption(impression.index(), ordinal);
    String date = Instant.ofEpochMilli(millis).atZone(ZoneOffset.UTC).toLocalDate().toString();
    String json = json(impression, ordinal, type, eventId, millis, corruption);
    lines.add(new Line(date, json, corruption != null, false));
    if (duplicated(impression.index(), ordinal)) {
      lines.add(new Line(date, json, corruption != null, true));
    }
  }

  private String json(
      Impression impression,
      int ordinal,
      String type,
      String eventId,
      long millis,
      Corruption corruption) {
    StringBuilder json = new StringBuilder(256).append('{');
    if (corruption != Corruption.MISSING_EVENT_ID) {
      field(json, EventMessage.EVENT_ID, quote(eventId));
    }
    if (ordinal > 0 && ordinal < 3) {
      field(json, EventMessage.IMPRESSION_ID, quote(impression.impressionId()));
    }
    if (corruption == Corruption.NON_NUMERIC_USER_ID) {
      field(json, EventMessage.USER_ID, quote("u" + impression.user()));
    } else if (corruption == Corruption.UNKNOWN_USER) {
      field(
          json,
          EventMessage.USER_ID,
          Long.toString(settings.users() + 1 + impression.index() % 997));
    } else if (corruption != Corruption.MISSING_USER_ID) {
      field(json, EventMessage.USER_ID, Long.toString(impression.user()));
    }
    long item =
        corruption == Corruption.NEGATIVE_ITEM_ID
            ? -impression.item()
            : corruption == Corruption.UNKNOWN_ITEM
                ? settings.items() + 1 + impression.index() % 991
                : impression.item();
    field(json, EventMessage.ITEM_ID, Long.toString(item));
    field(
        json,
        EventMessage.EVENT_TYPE,
        quote(corruption == Corruption.UNKNOWN_EVENT_TYPE ? "hover" : type));
    String time =
        corruption == Corruption.FUTURE_TIME
            ? Instant.ofEpochMilli(millis + FUTURE_SHIFT_MILLIS).toString()
            : corruption == Corruption.UNPARSEABLE_TIME
                ? "yesterday evening"
                : Instant.ofEpochMilli(millis).toString();
    field(json, EventMessage.EVENT_TIME, quote(time));
    String device =
        corruption == Corruption.UNKNOWN_DEVICE
            ? "fridge"
            : SyntheticWorld.DEVICES.get(impression.device());
    field(json, EventMessage.DEVICE, quote(device));
    field(json, EventMessage.SESSION_ID, quote(impression.sessionId()));
    switch (ordinal) {
      case 1 ->
          field(
              json,
              EventMessage.DWELL_MS,
              Long.toString(
                  corruption == Corruption.NEGATIVE_DWELL
                      ? -impression.dwellMs()
                      : impression.dwellMs()));
      case 2 -> field(json, EventMessage.PRICE, Double.toString(impression.pricePaid()));
      case 3 ->
          field(
              json,
              EventMessage.RATING,
              Integer.toString(
                  corruption == Corruption.RATING_OUT_OF_RANGE ? 7 : impression.rating()));
      default -> {}
    }
    json.append('}');
    if (corruption == Corruption.MALFORMED_JSON) {
      // a writer that died mid-line
      return json.substring(0, json.length() / 2);
    }
    return json.toString();
  }

  private static void field(StringBuilder json, String name, String value) {
    if (json.length() > 1) {
      json.append(',');
    }
    json.append('"').append(name).append("\":").append(value);
  }

  private static String quote(String text) {
    return '"' + text + '"';
  }
}
