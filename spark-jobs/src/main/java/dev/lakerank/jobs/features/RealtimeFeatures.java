package dev.lakerank.jobs.features;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count_if;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.unix_micros;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.window;

import dev.lakerank.jobs.tables.EventType;
import dev.lakerank.jobs.tables.FeatureTableColumns;
import dev.lakerank.jobs.tables.ItemRealtimeFeatures;
import dev.lakerank.jobs.tables.SilverInteractions;
import dev.lakerank.jobs.tables.SilverItems;
import dev.lakerank.jobs.tables.UserRealtimeFeatures;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.apache.spark.sql.types.DataTypes;

/**
 * The real-time features of the stream feature views {@code user_realtime} and {@code
 * item_realtime}, defined once for the streaming job and for the backfill over silver, so that
 * training reads exactly what serving was pushed.
 *
 * <p>The windows are Spark's hopping windows of one hour that start every five minutes ({@code
 * window(event_time, "1 hour", "5 minutes")}). An entity's value at the time {@code t} of one of
 * its events covers its events in {@code [end - 1h, t]}, where {@code end} is the end of the
 * earliest-ending window that holds {@code t}: {@code end = floor(t / 5m) * 5m + 5m}. So "the last
 * hour" is the last 55 to 60 minutes, to the five-minute step, and never anything after {@code t}.
 * The value carries {@code event_timestamp = t}.
 *
 * <ul>
 *   <li>The stream keeps each window's aggregates in Spark's state ({@link #windowed}); after each
 *       micro-batch, {@link #current} takes, per entity, the window holding its latest event that
 *       ends first: that is the value at the latest event.
 *   <li>The backfill ({@link #history}) computes the value at every event time of every entity from
 *       five-minute buckets: the eleven whole buckets before {@code t}'s, plus {@code t}'s own
 *       bucket up to and including {@code t}.
 * </ul>
 *
 * For events in order the two give the same value at the same {@code event_timestamp}; the stream
 * leaves out events later than its watermark, and pushes only each micro-batch's last value per
 * entity (what serving could see).
 */
public final class RealtimeFeatures {
  /** The window length: the {@code _1h} of the feature names. */
  public static final Duration WINDOW = Duration.ofHours(1);

  /** How often a window starts. */
  public static final Duration SLIDE = Duration.ofMinutes(5);

  /** The entity kind column of the stream's aggregation ({@code user} or {@code item}). */
  public static final String KIND = "kind";

  /** The entity id column of the stream's aggregation. */
  public static final String ENTITY = "entity";

  public static final String USER = "user";
  public static final String ITEM = "item";

  /**
   * The events of the window up to now, for {@link #current}: the latest event's time and category.
   */
  static final String LATEST = "_latest";

  private static final String BUCKET = "_bucket";
  private static final String WINDOW_COLUMN = "window";

  private RealtimeFeatures() {}

  /**
   * Valid interaction events ({@code user_id}, {@code item_id}, {@code event_type}, {@code
   * event_time}, and the item's {@code category}, null when unknown) as one row per entity each
   * event counts for: the user's and the item's.
   */
  static Dataset<Row> byEntity(Dataset<Row> events) {
    Column type = col(SilverInteractions.EVENT_TYPE);
    Column entities =
        explode(
            array(
                struct(lit(USER).alias(KIND), col(SilverInteractions.USER_ID).alias(ENTITY)),
                struct(lit(ITEM).alias(KIND), col(SilverInteractions.ITEM_ID).alias(ENTITY))));
    return events
        .select(
            entities.alias("_entity"),
            col(SilverInteractions.EVENT_TIME),
            type.equalTo(EventType.IMPRESSION.value()).alias("_impression"),
            type.equalTo(EventType.CLICK.value()).alias("_click"),
            col(SilverItems.CATEGORY))
        .select(
            col("_entity." + KIND).alias(KIND),
            col("_entity." + ENTITY).alias(ENTITY),
            col(SilverInteractions.EVENT_TIME),
            col("_impression"),
            col("_click"),
            col(SilverItems.CATEGORY));
  }

  /**
   * The stream's aggregation: per entity and hopping window, impressions, clicks and the latest
   * event (time, then category, the greatest of ties). Works on a streaming Dataset (with a
   * watermark on {@code event_time}, in update mode) as on a static one.
   */
  public static Dataset<Row> windowed(Dataset<Row> events) {
    return byEntity(events)
        .groupBy(
            col(KIND),
            col(ENTITY),
            window(col(SilverInteractions.EVENT_TIME), interval(WINDOW), interval(SLIDE)))
        .agg(
            count_if(col("_impression")).alias(UserRealtimeFeatures.IMPRESSIONS_1H),
            count_if(col("_click")).alias(UserRealtimeFeatures.CLICKS_1H),
            max(struct(
                    col(SilverInteractions.EVENT_TIME).alias("time"),
                    col(SilverItems.CATEGORY).alias("category")))
                .alias(LATEST));
  }

  /**
   * Of updated windows, those that can hold an entity's value now: the windows whose latest event
   * falls in their last five minutes. The current window of an entity is one of them, and in a
   * micro-batch of events in order an entity has one, or two when its events cross a five-minute
   * boundary, instead of the twelve windows each event updates. A filter after the aggregation, so
   * it runs in the streaming query and only these windows reach the driver.
   */
  public static Dataset<Row> candidates(Dataset<Row> windows) {
    long slide = SLIDE.toNanos() / 1000;
    return windows.where(
        unix_micros(col(LATEST + ".time"))
            .geq(unix_micros(col(WINDOW_COLUMN + ".end")).minus(slide)));
  }

  /**
   * One entity's value at {@code eventTime}: what the stream pushes online and appends offline.
   *
   * @param kind {@value #USER} or {@value #ITEM}
   * @param lastCategory the category of the item of the latest event; null when unknown
   */
  public record Value(
      String kind,
      long entity,
      Instant eventTime,
      long impressions,
      long clicks,
      String lastCategory) {}

  /**
   * Of the updated windows of one micro-batch (collected {@link #windowed} rows, or their {@link
   * #candidates}), each entity's value now: the window holding the entity's latest event that ends
   * first.
   */
  public static List<Value> current(List<Row> windows) {
    Map<String, Row> best = new LinkedHashMap<>();
    for (Row window : windows) {
      String key = window.<String>getAs(KIND) + "/" + window.<Long>getAs(ENTITY);
      Row held = best.get(key);
      if (held == null || comesFirst(window, held)) {
        best.put(key, window);
      }
    }
    List<Value> values = new ArrayList<>(best.size());
    for (Row window : best.values()) {
      Row latest = window.getAs(LATEST);
      values.add(
          new Value(
              window.getAs(KIND),
              window.<Long>getAs(ENTITY),
              latest.getTimestamp(0).toInstant(),
              ((Number) window.getAs(UserRealtimeFeatures.IMPRESSIONS_1H)).longValue(),
              ((Number) window.getAs(UserRealtimeFeatures.CLICKS_1H)).longValue(),
              latest.isNullAt(1) ? null : latest.getString(1)));
    }
    return values;
  }

  /**
   * Whether window {@code a} holds a later latest event than {@code b}, or the same and ends first.
   */
  private static boolean comesFirst(Row a, Row b) {
    Timestamp timeA = a.<Row>getAs(LATEST).getTimestamp(0);
    Timestamp timeB = b.<Row>getAs(LATEST).getTimestamp(0);
    if (!timeA.equals(timeB)) {
      return timeA.after(timeB);
    }
    return a.<Row>getAs(WINDOW_COLUMN)
        .getTimestamp(1)
        .before(b.<Row>getAs(WINDOW_COLUMN).getTimestamp(1));
  }

  /** {@code values} of users as rows of {@code gold.user_realtime_features} (without origin). */
  public static List<Row> userRows(List<Value> values, Instant createdAt) {
    List<Row> rows = new ArrayList<>();
    for (Value value : values) {
      if (value.kind().equals(USER)) {
        rows.add(
            RowFactory.create(
                value.entity(),
                Timestamp.from(value.eventTime()),
                Timestamp.from(createdAt),
                value.impressions(),
                value.clicks(),
                value.lastCategory()));
      }
    }
    return rows;
  }

  /** {@code values} of items as rows of {@code gold.item_realtime_features} (without origin). */
  public static List<Row> itemRows(List<Value> values, Instant createdAt) {
    List<Row> rows = new ArrayList<>();
    for (Value value : values) {
      if (value.kind().equals(ITEM)) {
        rows.add(
            RowFactory.create(
                value.entity(),
                Timestamp.from(value.eventTime()),
                Timestamp.from(createdAt),
                value.impressions(),
                value.clicks()));
      }
    }
    return rows;
  }

  /**
   * The backfill: the value at every event time of every entity, as {@link #current} rows would
   * give it had the stream run then.
   */
  public static Dataset<Row> history(Dataset<Row> events, Instant createdAt) {
    long slide = SLIDE.toNanos() / 1000;
    long bucketsBefore = WINDOW.dividedBy(SLIDE) - 1;
    Dataset<Row> rows =
        byEntity(events)
            .withColumn(
                BUCKET,
                floor(unix_micros(col(SilverInteractions.EVENT_TIME)).divide(slide))
                    .cast(DataTypes.LongType));
    WindowSpec entity = Window.partitionBy(col(KIND), col(ENTITY));
    // within the bucket, up to and including the event's time (ties included: a range frame)
    WindowSpec soFar =
        entity
            .orderBy(unix_micros(col(SilverInteractions.EVENT_TIME)))
            .rangeBetween(Window.unboundedPreceding(), Window.currentRow());
    WindowSpec inBucket =
        Window.partitionBy(col(KIND), col(ENTITY), col(BUCKET))
            .orderBy(unix_micros(col(SilverInteractions.EVENT_TIME)))
            .rangeBetween(Window.unboundedPreceding(), Window.currentRow());
    Dataset<Row> atEvents =
        rows.withColumn("_imp", sum(when(col("_impression"), 1L).otherwise(0L)).over(inBucket))
            .withColumn("_clk", sum(when(col("_click"), 1L).otherwise(0L)).over(inBucket))
            .withColumn(
                LATEST,
                max(struct(
                        col(SilverInteractions.EVENT_TIME).alias("time"),
                        col(SilverItems.CATEGORY).alias("category")))
                    .over(soFar))
            .groupBy(col(KIND), col(ENTITY), col(BUCKET), col(SilverInteractions.EVENT_TIME))
            .agg(max("_imp").alias("_imp"), max("_clk").alias("_clk"), max(LATEST).alias(LATEST));
    Dataset<Row> buckets =
        rows.groupBy(col(KIND), col(ENTITY), col(BUCKET))
            .agg(
                count_if(col("_impression")).alias("_bucket_imp"),
                count_if(col("_click")).alias("_bucket_clk"))
            .withColumn(
                "_before_imp",
                sum(col("_bucket_imp"))
                    .over(entity.orderBy(col(BUCKET)).rangeBetween(-bucketsBefore, -1)))
            .withColumn(
                "_before_clk",
                sum(col("_bucket_clk"))
                    .over(entity.orderBy(col(BUCKET)).rangeBetween(-bucketsBefore, -1)))
            .select(col(KIND), col(ENTITY), col(BUCKET), col("_before_imp"), col("_before_clk"));
    // the eleven buckets before hold no later event, so the latest event at or before t is t's own
    return atEvents
        .join(buckets, new String[] {KIND, ENTITY, BUCKET})
        .select(
            col(KIND),
            col(ENTITY),
            col(SilverInteractions.EVENT_TIME).alias(FeatureTableColumns.EVENT_TIMESTAMP),
            lit(Timestamp.from(createdAt)).alias(FeatureTableColumns.CREATED_TIMESTAMP),
            col("_imp")
                .plus(when(col("_before_imp").isNull(), 0L).otherwise(col("_before_imp")))
                .cast(DataTypes.LongType)
                .alias(UserRealtimeFeatures.IMPRESSIONS_1H),
            col("_clk")
                .plus(when(col("_before_clk").isNull(), 0L).otherwise(col("_before_clk")))
                .cast(DataTypes.LongType)
                .alias(UserRealtimeFeatures.CLICKS_1H),
            col(LATEST + ".category").alias(UserRealtimeFeatures.LAST_CATEGORY));
  }

  /** Rows of {@code gold.user_realtime_features} (without origin), from {@link #history} rows. */
  public static Dataset<Row> userRows(Dataset<Row> values) {
    return values
        .where(col(KIND).equalTo(USER))
        .select(
            col(ENTITY).alias(UserRealtimeFeatures.USER_ID),
            col(FeatureTableColumns.EVENT_TIMESTAMP),
            col(FeatureTableColumns.CREATED_TIMESTAMP),
            col(UserRealtimeFeatures.IMPRESSIONS_1H),
            col(UserRealtimeFeatures.CLICKS_1H),
            col(UserRealtimeFeatures.LAST_CATEGORY));
  }

  /** Rows of {@code gold.item_realtime_features} (without origin), from {@link #history} rows. */
  public static Dataset<Row> itemRows(Dataset<Row> values) {
    return values
        .where(col(KIND).equalTo(ITEM))
        .select(
            col(ENTITY).alias(ItemRealtimeFeatures.ITEM_ID),
            col(FeatureTableColumns.EVENT_TIMESTAMP),
            col(FeatureTableColumns.CREATED_TIMESTAMP),
            col(UserRealtimeFeatures.IMPRESSIONS_1H).alias(ItemRealtimeFeatures.IMPRESSIONS_1H),
            col(UserRealtimeFeatures.CLICKS_1H).alias(ItemRealtimeFeatures.CLICKS_1H));
  }

  /**
   * Events ({@code event_id}, {@code user_id}, {@code item_id}, {@code event_type}, {@code
   * event_time}) with the item's category, as the features need them.
   */
  public static Dataset<Row> withCategory(Dataset<Row> interactions, Dataset<Row> items) {
    Dataset<Row> categories =
        items.select(col(SilverItems.ITEM_ID).alias("_item"), col(SilverItems.CATEGORY));
    return interactions
        .select(
            col(SilverInteractions.EVENT_ID),
            col(SilverInteractions.USER_ID),
            col(SilverInteractions.ITEM_ID),
            col(SilverInteractions.EVENT_TYPE),
            col(SilverInteractions.EVENT_TIME))
        .join(categories, col(SilverInteractions.ITEM_ID).equalTo(col("_item")), "left_outer")
        .drop("_item");
  }

  private static String interval(Duration duration) {
    return duration.toSeconds() + " seconds";
  }
}
