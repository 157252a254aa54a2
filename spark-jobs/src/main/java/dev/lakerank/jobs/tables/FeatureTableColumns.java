package dev.lakerank.jobs.tables;

/** The time columns every gold feature table has, named as Feast names them. */
public final class FeatureTableColumns {
  private FeatureTableColumns() {}

  /** When the row's values became true (Feast's {@code timestamp_field}). */
  public static final String EVENT_TIMESTAMP = "event_timestamp";

  /** When the row was computed; breaks ties between rows of the same event time. */
  public static final String CREATED_TIMESTAMP = "created_timestamp";
}
