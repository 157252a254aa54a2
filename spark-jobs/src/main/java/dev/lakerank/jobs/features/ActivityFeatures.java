package dev.lakerank.jobs.features;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count_if;
import static org.apache.spark.sql.functions.date_add;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.sequence;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import dev.lakerank.jobs.tables.ActivityWindows;
import dev.lakerank.jobs.tables.EventType;
import dev.lakerank.jobs.tables.FeatureTableColumns;
import dev.lakerank.jobs.tables.SilverInteractions;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Windowed activity per entity as of each day: the rows of {@code gold.user_activity_features} and
 * {@code gold.item_popularity_features}.
 *
 * <p>The snapshot of day {@code s} has {@code event_timestamp} = {@code s} 00:00 UTC and counts the
 * events of the {@code W} whole days before it ({@code [s - W days, s)}), so it never includes
 * anything from its own day or later. An entity gets a snapshot on every day its 30-day window is
 * not empty, plus one of zeros the day after its activity leaves the window, so that the latest
 * snapshot at any time is the true value. Snapshots stop the day after the last event.
 */
public final class ActivityFeatures {
  private static final String DAY = "_day";
  private static final String OFFSET = "_offset";
  private static final String SNAPSHOT = "_snapshot";
  private static final String RATING_SUM = "_rating_sum";

  private ActivityFeatures() {}

  /**
   * Computes the snapshots.
   *
   * @param interactions rows of {@code silver.interactions}
   * @param key the entity column: {@code user_id} or {@code item_id}
   * @param withDwell whether to add dwell-time columns (users)
   * @param createdAt the {@code created_timestamp} of every row
   */
  public static Dataset<Row> compute(
      Dataset<Row> interactions, String key, boolean withDwell, Instant createdAt) {
    Column type = col(SilverInteractions.EVENT_TYPE);
    Dataset<Row> daily =
        interactions
            .groupBy(col(key), col(SilverInteractions.EVENT_DATE).alias(DAY))
            .agg(
                count_if(type.equalTo(EventType.IMPRESSION.value()))
                    .alias(ActivityWindows.IMPRESSIONS),
                count_if(type.equalTo(EventType.CLICK.value())).alias(ActivityWindows.CLICKS),
                count_if(type.equalTo(EventType.PURCHASE.value())).alias(ActivityWindows.PURCHASES),
                sum(when(type.equalTo(EventType.CLICK.value()), col(SilverInteractions.DWELL_MS))
                        .otherwise(0L))
                    .divide(1000.0)
                    .alias(ActivityWindows.DWELL_SECONDS),
                count_if(type.equalTo(EventType.RATING.value())).alias(ActivityWindows.RATINGS),
                sum(when(type.equalTo(EventType.RATING.value()), col(SilverInteractions.RATING))
                        .otherwise(0.0))
                    .alias(RATING_SUM));

    Row bounds = interactions.agg(max(SilverInteractions.EVENT_DATE)).head();
    if (bounds.isNullAt(0)) {
      return interactions
          .sparkSession()
          .createDataFrame(List.of(), ActivityWindows.schema(key, withDwell));
    }
    java.sql.Date lastDay = bounds.getDate(0);

    // each day's counts reach the snapshots of the next 30 days; day 31 closes the window with
    // zeros
    Dataset<Row> reached =
        daily
            .withColumn(OFFSET, explode(sequence(lit(1), lit(ActivityWindows.LONGEST_DAYS + 1))))
            .withColumn(SNAPSHOT, date_add(col(DAY), col(OFFSET)))
            .where(col(SNAPSHOT).leq(date_add(lit(lastDay), 1)));

    List<Column> aggregates = new ArrayList<>();
    List<String> metrics =
        new ArrayList<>(
            List.of(
                ActivityWindows.IMPRESSIONS, ActivityWindows.CLICKS, ActivityWindows.PURCHASES));
    if (withDwell) {
      metrics.add(ActivityWindows.DWELL_SECONDS);
    }
    for (String metric : metrics) {
      for (int days : ActivityWindows.DAYS) {
        aggregates.add(
            sum(when(col(OFFSET).leq(days), col(metric)).otherwise(0))
                .alias(ActivityWindows.column(metric, days)));
      }
    }
    int longest = ActivityWindows.LONGEST_DAYS;
    aggregates.add(
        sum(when(col(OFFSET).leq(longest), col(ActivityWindows.RATINGS)).otherwise(0))
            .alias(ActivityWindows.column(ActivityWindows.RATINGS, longest)));
    aggregates.add(
        sum(when(col(OFFSET).leq(longest), col(RATING_SUM)).otherwise(0)).alias(RATING_SUM));

    Dataset<Row> windows =
        reached
            .groupBy(col(key), col(SNAPSHOT))
            .agg(
                aggregates.get(0), aggregates.subList(1, aggregates.size()).toArray(Column[]::new));

    StructType schema = ActivityWindows.schema(key, withDwell);
    List<Column> output = new ArrayList<>();
    for (String name : schema.fieldNames()) {
      output.add(
          outputColumn(name, key, createdAt).cast(schema.apply(name).dataType()).alias(name));
    }
    return windows.select(output.toArray(Column[]::new));
  }

  private static Column outputColumn(String name, String key, Instant createdAt) {
    if (name.equals(key)) {
      return col(key);
    }
    if (name.equals(FeatureTableColumns.EVENT_TIMESTAMP)) {
      return col(SNAPSHOT).cast(DataTypes.TimestampType);
    }
    if (name.equals(FeatureTableColumns.CREATED_TIMESTAMP)) {
      return lit(Timestamp.from(createdAt));
    }
    for (int days : ActivityWindows.DAYS) {
      if (name.equals(ActivityWindows.column(ActivityWindows.CTR, days))) {
        return ratio(
            col(ActivityWindows.column(ActivityWindows.CLICKS, days)),
            col(ActivityWindows.column(ActivityWindows.IMPRESSIONS, days)));
      }
    }
    if (name.equals(
        ActivityWindows.column(ActivityWindows.AVG_RATING, ActivityWindows.LONGEST_DAYS))) {
      return ratio(
          col(RATING_SUM),
          col(ActivityWindows.column(ActivityWindows.RATINGS, ActivityWindows.LONGEST_DAYS)));
    }
    return col(name);
  }

  /** {@code numerator / denominator}, null when the denominator is zero. */
  private static Column ratio(Column numerator, Column denominator) {
    return when(denominator.gt(0), numerator.cast(DataTypes.DoubleType).divide(denominator));
  }
}
