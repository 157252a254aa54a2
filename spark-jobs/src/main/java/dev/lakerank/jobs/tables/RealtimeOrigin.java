package dev.lakerank.jobs.tables;

/**
 * The {@code origin} column of the real-time feature tables: who wrote a row. The streaming job
 * writes {@value #STREAM} rows (what serving was pushed); {@code features build} replaces the
 * {@value #BACKFILL} rows, computed from silver for the time before the stream's first row.
 */
public final class RealtimeOrigin {
  private RealtimeOrigin() {}

  public static final String COLUMN = "origin";
  public static final String STREAM = "stream";
  public static final String BACKFILL = "backfill";
}
