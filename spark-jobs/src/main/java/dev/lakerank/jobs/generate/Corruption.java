package dev.lakerank.jobs.generate;

import java.util.List;

/**
 * The ways an upstream bug corrupts an event in the generated files. Each one breaks one validation
 * rule, so the quarantine can be checked against what was injected.
 */
public enum Corruption {
  MISSING_EVENT_ID,
  MISSING_USER_ID,
  NON_NUMERIC_USER_ID,
  NEGATIVE_ITEM_ID,
  UNKNOWN_USER,
  UNKNOWN_ITEM,
  UNKNOWN_EVENT_TYPE,
  UNKNOWN_DEVICE,
  FUTURE_TIME,
  UNPARSEABLE_TIME,
  MALFORMED_JSON,
  NEGATIVE_DWELL,
  RATING_OUT_OF_RANGE;

  private static final List<Corruption> ANY_EVENT =
      List.of(
          MISSING_EVENT_ID,
          MISSING_USER_ID,
          NON_NUMERIC_USER_ID,
          NEGATIVE_ITEM_ID,
          UNKNOWN_USER,
          UNKNOWN_ITEM,
          UNKNOWN_EVENT_TYPE,
          UNKNOWN_DEVICE,
          FUTURE_TIME,
          UNPARSEABLE_TIME,
          MALFORMED_JSON);

  /**
   * The corruptions that can hit an event of kind {@code ordinal} (0 impression, 1 click, 2
   * purchase, 3 rating).
   */
  static List<Corruption> applicableTo(int ordinal) {
    return switch (ordinal) {
      case 1 -> append(NEGATIVE_DWELL);
      case 3 -> append(RATING_OUT_OF_RANGE);
      default -> ANY_EVENT;
    };
  }

  private static List<Corruption> append(Corruption extra) {
    var list = new java.util.ArrayList<>(ANY_EVENT);
    list.add(extra);
    return List.copyOf(list);
  }
}
