package dev.lakerank.jobs.tables;

import dev.lakerank.contract.messages.PredictionMessage;
import dev.lakerank.jobs.catalog.TableDefinition;
import dev.lakerank.jobs.catalog.TableName;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.types.StructType;

/**
 * {@code ml.prediction_log}: every answer of the serving API, from Kafka topic {@code predictions}
 * ({@code stream logs}). Joins {@link FeedbackLog} on {@code request_id}: online click-through per
 * model version is a GROUP BY on {@code ranker}.
 */
public final class PredictionLog {
  private PredictionLog() {}

  public static final TableName NAME = new TableName("ml", "prediction_log");
  public static final String REQUEST_ID = PredictionMessage.REQUEST_ID;
  public static final String ENDPOINT = PredictionMessage.ENDPOINT;
  public static final String USER_ID = PredictionMessage.USER_ID;

  /** The item ids answered, in rank order. */
  public static final String ITEMS = PredictionMessage.ITEMS;

  /** Their scores, in the same order. */
  public static final String SCORES = PredictionMessage.SCORES;

  /** The candidate generator, {@code name@version}; null when none answered (predict). */
  public static final String RECOMMENDER = PredictionMessage.RECOMMENDER;

  /** The ranker, {@code name@version}. */
  public static final String RANKER = PredictionMessage.RANKER;

  public static final String FALLBACK = PredictionMessage.FALLBACK;
  public static final String LATENCY_MICROS = PredictionMessage.LATENCY_MICROS;
  public static final String CREATED_AT = PredictionMessage.CREATED_AT;

  /** The message's fields, as the serving API writes them (JSON). */
  public static final List<String> MESSAGE_FIELDS = PredictionMessage.SCHEMA.fieldNames();

  /** The message's columns, then the Kafka coordinates of {@link StreamSource}. */
  public static final StructType SCHEMA =
      StreamSource.addTo(MessageColumns.schema(PredictionMessage.SCHEMA));

  public static final TableDefinition DEFINITION =
      new TableDefinition(
          NAME,
          SCHEMA,
          Map.of(TableDefinition.APPEND_ONLY, "true"),
          List.of(),
          "Every answer of the serving API (Kafka topic predictions); joins ml.feedback on request_id.");
}
