package dev.lakerank.jobs.validate;

import static org.apache.spark.sql.functions.abs;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.timestamp_millis;
import static org.apache.spark.sql.functions.timestamp_seconds;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.when;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.types.DataTypes;

/**
 * How raw text becomes typed values. Each function gives null for text it cannot read, never an
 * error, so validation can say which value was wrong.
 */
public final class Values {
  private Values() {}

  /** A whole number, or null. */
  public static Column asLong(Column text) {
    // try_cast is cheap on valid input, the common case; see asTimestamp for the other
    return trim(text).try_cast(DataTypes.LongType);
  }

  /** A number, or null. */
  public static Column asDouble(Column text) {
    return trim(text).try_cast(DataTypes.DoubleType);
  }

  /**
   * A timestamp from ISO-8601 text ({@code 2026-01-01T10:00:00Z}, {@code 2026-01-01 10:00:00}, with
   * or without an offset; without one it is UTC) or from a whole number of epoch seconds (as in
   * MovieLens; below 10^11) or epoch milliseconds (below 10^14); null for anything else.
   */
  public static Column asTimestamp(Column text) {
    Column trimmed = trim(text);
    // try_cast of text that is not a number throws and catches an exception inside Spark, which
    // costs more than everything else a row goes through: only digits are cast to a number
    Column number = when(trimmed.rlike("^-?[0-9]{1,18}$"), trimmed.cast(DataTypes.LongType));
    return when(number.isNull(), trimmed.try_cast(DataTypes.TimestampType))
        .when(abs(number).lt(100_000_000_000L), timestamp_seconds(number))
        .when(abs(number).lt(100_000_000_000_000L), timestamp_millis(number));
  }

  /** Lower-case text without surrounding blanks: the form enumerated values are compared in. */
  public static Column asKeyword(Column text) {
    return lower(trim(text));
  }
}
