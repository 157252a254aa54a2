package dev.lakerank.streaming.logs;

import static org.apache.spark.sql.functions.col;

import dev.lakerank.jobs.catalog.Lakehouse;
import dev.lakerank.jobs.catalog.TableDefinition;
import dev.lakerank.jobs.config.LakerankConfig.StreamSettings;
import dev.lakerank.jobs.tables.FeedbackLog;
import dev.lakerank.jobs.tables.LogQuarantine;
import dev.lakerank.jobs.tables.PredictionLog;
import dev.lakerank.jobs.tables.StreamBatches;
import dev.lakerank.jobs.validate.Validation;
import dev.lakerank.streaming.internal.KafkaSource;
import dev.lakerank.streaming.internal.MicroBatch;
import dev.lakerank.streaming.internal.StreamSession;
import dev.lakerank.streaming.internal.Triggers;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.storage.StorageLevel;

/**
 * {@code lakerank stream logs}: the serving API's topics {@code predictions} and {@code feedback}
 * into {@code ml.prediction_log} and {@code ml.feedback}, exactly once, joinable on {@code
 * request_id} (online click-through per model version). One query reads both topics; a message that
 * is not a valid log entry goes to {@code quarantine.logs} with its rule and reason, and the stream
 * goes on. Each batch is recorded in {@code ops.stream_batches}.
 */
public final class StreamLogs {
  public static final String QUERY = "logs";

  private final Lakehouse lakehouse;
  private final StreamSettings settings;
  private final Clock clock;

  public StreamLogs(Lakehouse lakehouse, StreamSettings settings, Clock clock) {
    this.lakehouse = lakehouse;
    this.settings = settings;
    this.clock = clock;
  }

  /**
   * Starts the query; it runs until stopped, or with {@code availableNow} until it has read what
   * the topics hold.
   */
  public StreamingQuery start(boolean availableNow) throws TimeoutException {
    StreamSession.configure(lakehouse.spark(), settings);
    for (TableDefinition definition :
        List.of(
            PredictionLog.DEFINITION,
            FeedbackLog.DEFINITION,
            LogQuarantine.DEFINITION,
            StreamBatches.DEFINITION)) {
      lakehouse.createIfNotExists(definition);
    }
    return KafkaSource.read(
            lakehouse.spark(),
            settings,
            List.of(settings.predictionsTopic(), settings.feedbackTopic()))
        .writeStream()
        .queryName("lakerank-" + QUERY)
        .option("checkpointLocation", settings.checkpoint(QUERY))
        .trigger(Triggers.of(settings.logsTrigger(), availableNow))
        .foreachBatch(
            (messages, batchId) -> {
              write(messages, MicroBatch.of(lakehouse.spark(), QUERY, batchId, clock.instant()));
            })
        .start();
  }

  /** Writes one micro-batch; returns the rows written per table (quarantine included). */
  public Map<String, Long> write(Dataset<Row> messages, MicroBatch batch) {
    Dataset<Row> kept = messages.persist(StorageLevel.MEMORY_AND_DISK());
    List<Dataset<Row>> cached = new ArrayList<>(List.of(kept));
    try {
      Map<String, Long> written = new LinkedHashMap<>();
      long quarantined = 0;
      long total = 0;
      Dataset<Row> rejects = null;
      for (Topic topic :
          List.of(
              new Topic(
                  settings.predictionsTopic(), LogMessages.predictions(), PredictionLog.DEFINITION),
              new Topic(
                  settings.feedbackTopic(), LogMessages.feedback(), FeedbackLog.DEFINITION))) {
        Dataset<Row> checked =
            LogMessages.check(kept.where(col("topic").equalTo(topic.name())), topic.kind())
                .persist(StorageLevel.MEMORY_AND_DISK());
        cached.add(checked);
        long rows = 0;
        long bad = 0;
        for (Row count :
            checked.groupBy(col(Validation.FIRST_RULE).isNull()).count().collectAsList()) {
          rows += count.getLong(1);
          bad += count.getBoolean(0) ? 0 : count.getLong(1);
        }
        total += rows;
        quarantined += bad;
        written.put(topic.table().name().toString(), rows - bad);
        if (rows - bad > 0) {
          batch.append(
              lakehouse,
              topic.table(),
              LogMessages.rows(checked, topic.kind(), batch.label(), batch.started()));
        }
        if (bad > 0) {
          Dataset<Row> quarantine =
              LogMessages.quarantined(checked, topic.kind(), batch.label(), batch.started());
          rejects = rejects == null ? quarantine : rejects.unionByName(quarantine);
        }
      }
      if (total == 0) {
        return written;
      }
      if (rejects != null) {
        batch.append(lakehouse, LogQuarantine.DEFINITION, rejects);
      }
      written.put(LogQuarantine.NAME.toString(), quarantined);
      batch.record(
          lakehouse,
          MicroBatch.offsets(kept, "topic", "partition", "offset"),
          total,
          written,
          quarantined,
          clock.instant());
      return written;
    } finally {
      cached.forEach(Dataset::unpersist);
    }
  }

  private record Topic(String name, LogMessages.Kind kind, TableDefinition table) {}
}
