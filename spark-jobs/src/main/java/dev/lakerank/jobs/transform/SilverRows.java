package dev.lakerank.jobs.transform;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.to_date;
import static org.apache.spark.sql.functions.trim;

import dev.lakerank.jobs.tables.IngestMetadata;
import dev.lakerank.jobs.tables.RowOrigin;
import dev.lakerank.jobs.tables.SilverInteractions;
import dev.lakerank.jobs.tables.SilverItems;
import dev.lakerank.jobs.tables.SilverUsers;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.apache.spark.sql.types.DataTypes;

/**
 * Pure functions from validated bronze rows to silver rows: typing, and keeping one row per key.
 * Tests call them on small in-memory data.
 */
public final class SilverRows {
  private SilverRows() {}

  /**
   * Adds {@link EventRules#KNOWN_USER} and {@link EventRules#KNOWN_ITEM} to parsed bronze events:
   * whether the row's ids are in the given id tables, which hold each id once (the silver
   * dimensions, MERGEd on their key). An absent table leaves the flag null (not checked).
   */
  public static Dataset<Row> withKnownFlags(
      Dataset<Row> bronzeEvents, Optional<Dataset<Row>> userIds, Optional<Dataset<Row>> itemIds) {
    return withKnownFlags(bronzeEvents, userIds, itemIds, List.of());
  }

  /**
   * As {@link #withKnownFlags(Dataset, Optional, Optional)}, also bringing {@code itemColumns} of
   * the item table (null for an unknown item): one join for the check and the lookup.
   */
  public static Dataset<Row> withKnownFlags(
      Dataset<Row> bronzeEvents,
      Optional<Dataset<Row>> userIds,
      Optional<Dataset<Row>> itemIds,
      List<String> itemColumns) {
    Dataset<Row> flagged = bronzeEvents;
    flagged = flag(flagged, SilverInteractions.USER_ID, userIds, EventRules.KNOWN_USER, List.of());
    flagged =
        flag(flagged, SilverInteractions.ITEM_ID, itemIds, EventRules.KNOWN_ITEM, itemColumns);
    return flagged;
  }

  private static Dataset<Row> flag(
      Dataset<Row> rows,
      String field,
      Optional<Dataset<Row>> ids,
      String flagColumn,
      List<String> columns) {
    if (ids.isEmpty()) {
      Dataset<Row> out = rows.withColumn(flagColumn, lit(null).cast(DataTypes.BooleanType));
      for (String column : columns) {
        out = out.withColumn(column, lit(null).cast(DataTypes.StringType));
      }
      return out;
    }
    String key = "_known_" + field;
    List<Column> select =
        new ArrayList<>(List.of(col(field).alias(key), lit(true).alias(flagColumn)));
    columns.forEach(column -> select.add(col(column)));
    Dataset<Row> known = ids.get().select(select.toArray(Column[]::new));
    return rows.join(known, ParsedFields.of(field).equalTo(known.col(key)), "left_outer").drop(key);
  }

  /** Bronze events with {@link EventRules#EVENT_FIELDS} read into typed columns. */
  public static Dataset<Row> parseEvents(Dataset<Row> bronzeEvents) {
    return ParsedFields.add(bronzeEvents, EventRules.EVENT_FIELDS);
  }

  /**
   * Valid parsed bronze events typed as {@code silver.interactions}, keeping {@code _source_file}
   * for {@link #firstPerEvent}.
   */
  public static Dataset<Row> interactions(Dataset<Row> validEvents) {
    Column time = ParsedFields.of(SilverInteractions.EVENT_TIME);
    return validEvents.select(
        trim(col(SilverInteractions.EVENT_ID)).alias(SilverInteractions.EVENT_ID),
        trim(col(SilverInteractions.IMPRESSION_ID)).alias(SilverInteractions.IMPRESSION_ID),
        ParsedFields.of(SilverInteractions.USER_ID).alias(SilverInteractions.USER_ID),
        ParsedFields.of(SilverInteractions.ITEM_ID).alias(SilverInteractions.ITEM_ID),
        ParsedFields.of(SilverInteractions.EVENT_TYPE).alias(SilverInteractions.EVENT_TYPE),
        time.alias(SilverInteractions.EVENT_TIME),
        to_date(time).alias(SilverInteractions.EVENT_DATE),
        ParsedFields.of(SilverInteractions.DEVICE).alias(SilverInteractions.DEVICE),
        trim(col(SilverInteractions.SESSION_ID)).alias(SilverInteractions.SESSION_ID),
        ParsedFields.of(SilverInteractions.DWELL_MS).alias(SilverInteractions.DWELL_MS),
        ParsedFields.of(SilverInteractions.PRICE).alias(SilverInteractions.PRICE),
        ParsedFields.of(SilverInteractions.RATING).alias(SilverInteractions.RATING),
        col(IngestMetadata.BATCH_ID),
        col(IngestMetadata.INGEST_TIME),
        col(IngestMetadata.SOURCE_FILE));
  }

  /**
   * Valid bronze users, parsed ({@link EventRules#USER_FIELDS}), typed as {@code silver.users},
   * stamped {@code updatedAt}.
   */
  public static Dataset<Row> users(Dataset<Row> validUsers, Instant updatedAt) {
    return validUsers.select(
        ParsedFields.of(SilverUsers.USER_ID).alias(SilverUsers.USER_ID),
        ParsedFields.of(SilverUsers.SIGNUP_TIME).alias(SilverUsers.SIGNUP_TIME),
        trim(col(SilverUsers.COUNTRY)).alias(SilverUsers.COUNTRY),
        trim(col(SilverUsers.AGE_BAND)).alias(SilverUsers.AGE_BAND),
        lit(RowOrigin.SOURCE.value()).alias(SilverUsers.ORIGIN),
        lit(Timestamp.from(updatedAt)).alias(SilverUsers.UPDATED_AT),
        col(IngestMetadata.BATCH_ID),
        col(IngestMetadata.INGEST_TIME),
        col(IngestMetadata.SOURCE_FILE));
  }

  /**
   * Valid bronze items, parsed ({@link EventRules#ITEM_FIELDS}), typed as {@code silver.items},
   * stamped {@code updatedAt}.
   */
  public static Dataset<Row> items(Dataset<Row> validItems, Instant updatedAt) {
    return validItems.select(
        ParsedFields.of(SilverItems.ITEM_ID).alias(SilverItems.ITEM_ID),
        trim(col(SilverItems.CATEGORY)).alias(SilverItems.CATEGORY),
        ParsedFields.of(SilverItems.PRICE).alias(SilverItems.PRICE),
        ParsedFields.of(SilverItems.CREATED_TIME).alias(SilverItems.CREATED_TIME),
        lit(RowOrigin.SOURCE.value()).alias(SilverItems.ORIGIN),
        lit(Timestamp.from(updatedAt)).alias(SilverItems.UPDATED_AT),
        col(IngestMetadata.BATCH_ID),
        col(IngestMetadata.INGEST_TIME),
        col(IngestMetadata.SOURCE_FILE));
  }

  /**
   * One row per event id: the copy ingested first (then by source file). Drops the ordering columns
   * that silver does not keep.
   */
  public static Dataset<Row> firstPerEvent(Dataset<Row> typedEvents) {
    WindowSpec byEvent =
        Window.partitionBy(SilverInteractions.EVENT_ID)
            .orderBy(col(IngestMetadata.INGEST_TIME), col(IngestMetadata.SOURCE_FILE));
    return typedEvents
        .withColumn("_copy", row_number().over(byEvent))
        .where(col("_copy").equalTo(1))
        .drop("_copy", IngestMetadata.SOURCE_FILE);
  }

  /**
   * One row per {@code key}: the record received last (by ingest time, then source file), which is
   * the one a user or catalogue upsert should keep.
   */
  public static Dataset<Row> latestPerKey(Dataset<Row> typedRecords, String key) {
    WindowSpec byKey =
        Window.partitionBy(key)
            .orderBy(
                col(IngestMetadata.INGEST_TIME).desc(), col(IngestMetadata.SOURCE_FILE).desc());
    return typedRecords
        .withColumn("_copy", row_number().over(byKey))
        .where(col("_copy").equalTo(1))
        .drop("_copy", IngestMetadata.SOURCE_FILE, IngestMetadata.INGEST_TIME);
  }
}
