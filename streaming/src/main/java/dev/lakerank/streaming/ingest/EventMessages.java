package dev.lakerank.streaming.ingest;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.lit;

import dev.lakerank.jobs.tables.BronzeTable;
import dev.lakerank.jobs.tables.IngestMetadata;
import dev.lakerank.jobs.tables.StreamSource;
import dev.lakerank.jobs.transform.EventRules;
import dev.lakerank.jobs.transform.SilverRows;
import dev.lakerank.jobs.validate.Expectation;
import dev.lakerank.jobs.validate.Validation;
import dev.lakerank.streaming.internal.JsonMessages;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Pure functions from Kafka messages of the {@code events} topic to bronze event rows, checked by
 * the batch path's own expectations ({@link EventRules}). Streaming and static Datasets alike.
 *
 * <p>A message is one JSON object with the fields of a line of the events log, read as bronze reads
 * a line ({@link JsonMessages}). An event is in the future when its time is later than the time its
 * message reached Kafka plus the tolerance, so a batch run again judges it the same.
 */
public final class EventMessages {
  /** The message's value as text. */
  public static final String PAYLOAD = JsonMessages.PAYLOAD;

  /** The message's Kafka timestamp: when it was received. */
  public static final String RECEIVED = StreamSource.KAFKA_TIME;

  /** {@code kafka://<topic>/<partition>/<offset>}: the message's place, unique per message. */
  public static final String SOURCE = IngestMetadata.SOURCE_FILE;

  private EventMessages() {}

  /**
   * Kafka rows as the source fields of an event ({@link JsonMessages#parse}), with {@link #SOURCE}:
   * the message's {@code kafka://topic/partition/offset}.
   */
  public static Dataset<Row> parse(Dataset<Row> kafka) {
    return JsonMessages.parse(kafka, BronzeTable.EVENTS.sourceFields())
        .withColumn(
            SOURCE,
            concat(
                lit("kafka://"),
                col(StreamSource.TOPIC),
                lit("/"),
                col(StreamSource.PARTITION),
                lit("/"),
                col(StreamSource.OFFSET)));
  }

  /**
   * The rules of {@link EventRules#events(Column, Duration, boolean, boolean)}, with the known-id
   * checks on when the id tables are given.
   */
  public static List<Expectation> rules(
      Duration futureTolerance, boolean checkUsers, boolean checkItems) {
    return EventRules.events(col(RECEIVED), futureTolerance, checkUsers, checkItems);
  }

  /**
   * Parsed messages ({@link #parse}) with the typed fields and {@link Validation#FIRST_RULE}: the
   * first rule each broke, null for a valid event.
   *
   * @param users silver.users, when user ids are checked
   * @param items silver.items, when item ids are checked or {@code itemColumns} are wanted
   * @param itemColumns columns of silver.items to bring along (null for an unknown item)
   */
  public static Dataset<Row> check(
      Dataset<Row> parsed,
      Optional<Dataset<Row>> users,
      Optional<Dataset<Row>> items,
      List<String> itemColumns,
      List<Expectation> rules) {
    return Validation.check(
        SilverRows.withKnownFlags(SilverRows.parseEvents(parsed), users, items, itemColumns),
        rules);
  }

  /** Checked rows as {@code bronze.events} rows, in the table's column order. */
  public static Dataset<Row> bronze(Dataset<Row> rows, String batchLabel, Instant ingested) {
    return rows.select(bronzeColumns(batchLabel, ingested).toArray(Column[]::new));
  }

  /** The columns of a bronze events row, from a parsed message. */
  static List<Column> bronzeColumns(String batchLabel, Instant ingested) {
    List<Column> columns = new ArrayList<>();
    for (String field : BronzeTable.EVENTS.sourceFields()) {
      columns.add(col(field));
    }
    columns.add(col(IngestMetadata.CORRUPT_RECORD));
    columns.add(col(SOURCE).alias(IngestMetadata.SOURCE_FILE));
    columns.add(col(JsonMessages.PAYLOAD_BYTES).alias(IngestMetadata.SOURCE_SIZE));
    columns.add(col(RECEIVED).alias(IngestMetadata.SOURCE_MODIFIED));
    columns.add(lit(Timestamp.from(ingested)).alias(IngestMetadata.INGEST_TIME));
    columns.add(lit(batchLabel).alias(IngestMetadata.BATCH_ID));
    return columns;
  }
}
