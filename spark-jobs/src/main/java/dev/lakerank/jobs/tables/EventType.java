package dev.lakerank.jobs.tables;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** What an interaction event records. */
public enum EventType {
  /** The item was shown to the user. */
  IMPRESSION,
  /** The user clicked a shown item; references the impression. */
  CLICK,
  /** The user bought the item; references the impression. */
  PURCHASE,
  /** The user rated the item 1 to 5 (0.5 steps allowed, as in MovieLens). */
  RATING;

  /** The value in tables and source files: lower case. */
  public String value() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Every value, as in tables. */
  public static List<String> allValues() {
    return Arrays.stream(values()).map(EventType::value).toList();
  }
}
