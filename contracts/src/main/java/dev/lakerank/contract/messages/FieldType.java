package dev.lakerank.contract.messages;

/**
 * The type of a message field, as each side stores it: a Delta column of the matching Spark type, a
 * column of the serving database, a JSON value.
 */
public enum FieldType {
  /** Text. */
  STRING,
  /** A 64-bit whole number. */
  LONG,
  /** A double; JSON has no NaN, so a value that is not finite is written as null. */
  DOUBLE,
  BOOLEAN,
  /**
   * An instant in UTC, to the microsecond; in JSON an ISO-8601 text such as {@code
   * 2026-03-01T12:00:00.123456Z}.
   */
  TIMESTAMP,
  /** A list of 64-bit whole numbers, in JSON an array (in the serving database its JSON text). */
  LONG_ARRAY,
  /** A list of doubles or nulls, in JSON an array (in the serving database its JSON text). */
  DOUBLE_ARRAY
}
