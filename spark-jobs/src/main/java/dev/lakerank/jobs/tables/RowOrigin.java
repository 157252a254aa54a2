package dev.lakerank.jobs.tables;

import java.util.Locale;

/** Where a silver dimension row came from. */
public enum RowOrigin {
  /** A users or items source file. */
  SOURCE,
  /** Only events named the entity: the data set has no users or items file (MovieLens ratings). */
  DERIVED;

  /** The value in tables. */
  public String value() {
    return name().toLowerCase(Locale.ROOT);
  }
}
