package dev.lakerank.jobs.validate;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.date_format;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.timestamp_micros;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.unix_micros;

import dev.lakerank.jobs.tables.IngestMetadata;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.types.DataTypes;

/**
 * The kinds of expectation, each with the reason it gives. Reasons quote the offending value and
 * say what was expected, for example {@code user_id is `u42`, not a whole number}.
 */
public final class Expectations {
  private Expectations() {}

  /** The reader could parse the line. */
  public static Expectation wellFormed() {
    return new Expectation(
        "malformed_record",
        col(IngestMetadata.CORRUPT_RECORD).isNotNull(),
        lit("the line could not be parsed (kept in _corrupt_record); fix the upstream writer"));
  }

  /** {@code field} is present and not blank. */
  public static Expectation required(String field) {
    return new Expectation(
        "required:" + field,
        col(field).isNull().or(trim(col(field)).equalTo("")),
        lit(field + " is missing"));
  }

  /**
   * {@code field}, when present, could be read as {@code what}: {@code parsed} (the field read with
   * one of {@link Values}' functions) is not null.
   */
  public static Expectation parses(String field, Column parsed, String what) {
    return new Expectation(
        "type:" + field,
        col(field).isNotNull().and(trim(col(field)).notEqual("")).and(parsed.isNull()),
        concat(lit(field + " is `"), col(field), lit("`, not " + what)));
  }

  /** {@code field}'s number, when there is one, is within [min, max]. */
  public static Expectation range(String field, Column value, double min, double max) {
    String bounds = "[" + format(min) + ", " + format(max) + "]";
    return new Expectation(
        "range:" + field,
        value.lt(min).or(value.gt(max)),
        concat(lit(field + " is "), value.cast(DataTypes.StringType), lit(", outside " + bounds)));
  }

  /** {@code field}'s number, when there is one, is at least {@code min}. */
  public static Expectation atLeast(String field, Column value, double min) {
    return new Expectation(
        "range:" + field,
        value.lt(min),
        concat(
            lit(field + " is "),
            value.cast(DataTypes.StringType),
            lit(", below the minimum " + format(min))));
  }

  /**
   * {@code field}, when present, is one of {@code allowed}; {@code keyword} is the field in the
   * form the values are compared in ({@link Values#asKeyword}).
   */
  public static Expectation allowed(String field, Column keyword, List<String> allowed) {
    return new Expectation(
        "allowed:" + field,
        col(field).isNotNull().and(not(keyword.isin(allowed.toArray()))),
        concat(
            lit(field + " is `"), col(field), lit("`, not one of " + String.join(", ", allowed))));
  }

  /**
   * The time {@code time} (the field read as a timestamp) is no later than {@code now} plus {@code
   * tolerance}.
   */
  public static Expectation notInFuture(
      String field, Column time, Instant now, Duration tolerance) {
    Instant limit = now.plus(tolerance);
    return new Expectation(
        "not_future:" + field,
        time.gt(lit(Timestamp.from(limit))),
        concat(
            lit(field + " `"), col(field), lit("` is in the future (later than " + limit + ")")));
  }

  /**
   * The time {@code time} is no later than the per-row time {@code now} plus {@code tolerance}: for
   * a stream, the time each message reached Kafka, which a replayed batch sees unchanged.
   */
  public static Expectation notInFuture(String field, Column time, Column now, Duration tolerance) {
    Column limit = timestamp_micros(unix_micros(now).plus(lit(tolerance.toNanos() / 1000)));
    return new Expectation(
        "not_future:" + field,
        time.gt(limit),
        concat(
            lit(field + " `"),
            col(field),
            lit("` is in the future (later than "),
            date_format(limit, "yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'"),
            lit(", the time it was received plus " + tolerance + ")")));
  }

  /**
   * {@code field}'s id is in {@code table}; {@code known} is a boolean column the caller joined in
   * (null or false when the id is unknown).
   */
  public static Expectation known(String field, Column known, String table) {
    return new Expectation(
        "known:" + field,
        col(field).isNotNull().and(not(coalesce(known, lit(false)))),
        concat(lit(field + " "), col(field), lit(" is not in " + table)));
  }

  private static String format(double value) {
    if (value == Math.rint(value) && Math.abs(value) < 1e15) {
      return Long.toString((long) value);
    }
    return Double.toString(value);
  }
}
