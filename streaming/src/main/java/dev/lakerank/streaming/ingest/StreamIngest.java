package dev.lakerank.streaming.ingest;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.to_json;

import dev.lakerank.jobs.catalog.Lakehouse;
import dev.lakerank.jobs.config.LakerankConfig.StreamSettings;
import dev.lakerank.jobs.tables.BronzeTable;
import dev.lakerank.jobs.tables.IngestMetadata;
import dev.lakerank.jobs.tables.QuarantineTable;
import dev.lakerank.jobs.tables.SilverItems;
import dev.lakerank.jobs.tables.SilverUsers;
import dev.lakerank.jobs.tables.StreamBatches;
import dev.lakerank.jobs.tables.StreamSource;
import dev.lakerank.jobs.validate.Expectation;
import dev.lakerank.jobs.validate.Validation;
import dev.lakerank.streaming.internal.KafkaSource;
import dev.lakerank.streaming.internal.MicroBatch;
import dev.lakerank.streaming.internal.StreamSession;
import dev.lakerank.streaming.internal.Triggers;
import dev.lakerank.streaming.kafka.KafkaClients;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.storage.StorageLevel;

/**
 * {@code lakerank stream ingest}: the {@code events} topic into {@code bronze.events}, exactly
 * once, with the batch path's expectations.
 *
 * <p>Each micro-batch parses its messages ({@link EventMessages}), checks them with the rules
 * {@code transform} applies (user and item ids against silver when the data set has user and item
 * sources), then appends the valid events to bronze, where {@code transform} takes them on to
 * silver as it takes those of files, and every other message to {@code quarantine.events} with its
 * rule, reason, violations and raw payload, and to the dead-letter topic. A bad message never stops
 * the stream. The batch is recorded in {@code ops.stream_batches}: messages = bronze rows +
 * quarantined rows.
 *
 * <p>Exactly once: every Delta append is idempotent by query id and batch id ({@link MicroBatch}),
 * and Spark commits the batch to the checkpoint only after the function returns; a batch cut off by
 * a crash is run again from the same offsets and writes only what it had not. The dead-letter topic
 * is at least once: a batch run again may send its rejects again, with the same key (the message's
 * {@code kafka://topic/partition/offset}).
 */
public final class StreamIngest {
  /** The query's name: its checkpoint directory and its rows' batch label. */
  public static final String QUERY = "ingest";

  private final Lakehouse lakehouse;
  private final StreamSettings settings;
  private final Duration futureTolerance;
  private final Clock clock;

  public StreamIngest(
      Lakehouse lakehouse, StreamSettings settings, Duration futureTolerance, Clock clock) {
    this.lakehouse = lakehouse;
    this.settings = settings;
    this.futureTolerance = futureTolerance;
    this.clock = clock;
  }

  /** What one micro-batch did. */
  public record BatchResult(long messages, long accepted, long quarantined) {}

  /**
   * Starts the query; it runs until stopped, or with {@code availableNow} until it has read what
   * the topics hold.
   */
  public StreamingQuery start(boolean availableNow) throws TimeoutException {
    StreamSession.configure(lakehouse.spark(), settings);
    lakehouse.createIfNotExists(BronzeTable.EVENTS.definition());
    lakehouse.createIfNotExists(QuarantineTable.definition(BronzeTable.EVENTS));
    lakehouse.createIfNotExists(StreamBatches.DEFINITION);
    return KafkaSource.read(lakehouse.spark(), settings, List.of(settings.eventsTopic()))
        .writeStream()
        .queryName("lakerank-" + QUERY)
        .option("checkpointLocation", settings.checkpoint(QUERY))
        .trigger(Triggers.of(settings.ingestTrigger(), availableNow))
        .foreachBatch(
            (messages, batchId) -> {
              write(messages, MicroBatch.of(lakehouse.spark(), QUERY, batchId, clock.instant()));
            })
        .start();
  }

  /** Writes one micro-batch of Kafka messages; public so tests can run it on a static Dataset. */
  public BatchResult write(Dataset<Row> messages, MicroBatch batch) {
    boolean checkUsers =
        lakehouse.exists(BronzeTable.USERS.tableName()) && lakehouse.exists(SilverUsers.NAME);
    boolean checkItems =
        lakehouse.exists(BronzeTable.ITEMS.tableName()) && lakehouse.exists(SilverItems.NAME);
    List<Expectation> rules = EventMessages.rules(futureTolerance, checkUsers, checkItems);
    Dataset<Row> checked =
        EventMessages.check(
                EventMessages.parse(messages),
                checkUsers ? Optional.of(lakehouse.read(SilverUsers.NAME)) : Optional.empty(),
                checkItems ? Optional.of(lakehouse.read(SilverItems.NAME)) : Optional.empty(),
                List.of(),
                rules)
            .persist(StorageLevel.MEMORY_AND_DISK());
    try {
      long total = 0;
      long rejected = 0;
      for (Row row : checked.groupBy(col(Validation.FIRST_RULE).isNull()).count().collectAsList()) {
        total += row.getLong(1);
        rejected += row.getBoolean(0) ? 0 : row.getLong(1);
      }
      if (total == 0) {
        return new BatchResult(0, 0, 0);
      }
      Instant now = batch.started();
      lakehouse.spark().sparkContext().setJobDescription("stream ingest batch " + batch.batchId());
      batch.append(
          lakehouse,
          BronzeTable.EVENTS.definition(),
          EventMessages.bronze(Validation.valid(checked), batch.label(), now));
      if (rejected > 0) {
        Dataset<Row> quarantined =
            quarantine(Validation.rejected(checked, rules), batch.label(), now).persist();
        try {
          batch.append(lakehouse, QuarantineTable.definition(BronzeTable.EVENTS), quarantined);
          deadLetters(quarantined);
        } finally {
          quarantined.unpersist();
        }
      }
      Map<String, Long> written = new LinkedHashMap<>();
      written.put(BronzeTable.EVENTS.tableName().toString(), total - rejected);
      written.put(QuarantineTable.name(BronzeTable.EVENTS).toString(), rejected);
      batch.record(
          lakehouse,
          MicroBatch.offsets(
              checked, StreamSource.TOPIC, StreamSource.PARTITION, StreamSource.OFFSET),
          total,
          written,
          rejected,
          clock.instant());
      return new BatchResult(total, total - rejected, rejected);
    } finally {
      checked.unpersist();
    }
  }

  /** Rejected rows ({@link Validation#rejected}) as {@code quarantine.events} rows. */
  static Dataset<Row> quarantine(Dataset<Row> rejected, String batchLabel, Instant now) {
    List<Column> columns = new ArrayList<>(EventMessages.bronzeColumns(batchLabel, now));
    columns.add(col(QuarantineTable.RULE));
    columns.add(col(QuarantineTable.REASON));
    columns.add(col(QuarantineTable.VIOLATIONS));
    columns.add(lit(Timestamp.from(now)).alias(QuarantineTable.QUARANTINED_AT));
    columns.add(lit(batchLabel).alias(QuarantineTable.TRANSFORM_RUN_ID));
    columns.add(col(EventMessages.PAYLOAD).alias(QuarantineTable.RAW_PAYLOAD));
    return rejected.select(columns.toArray(Column[]::new));
  }

  /**
   * Sends quarantined rows to the dead-letter topic: key {@code kafka://topic/partition/offset},
   * value a JSON object with the source, the time received, the rule, the reason, every violation
   * and the payload as it arrived.
   */
  private void deadLetters(Dataset<Row> quarantined) {
    quarantined
        .select(
            col(IngestMetadata.SOURCE_FILE).alias("key"),
            to_json(
                    struct(
                        col(IngestMetadata.SOURCE_FILE).alias("source"),
                        col(IngestMetadata.SOURCE_MODIFIED).alias("received"),
                        col(QuarantineTable.RULE).alias("rule"),
                        col(QuarantineTable.REASON).alias("reason"),
                        col(QuarantineTable.VIOLATIONS).alias("violations"),
                        col(QuarantineTable.RAW_PAYLOAD).alias("payload")))
                .alias("value"))
        .write()
        .format("kafka")
        .options(KafkaClients.sparkOptions(settings))
        .option("topic", settings.deadLetterTopic())
        .save();
  }
}
