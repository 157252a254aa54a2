package dev.lakerank.jobs.tables;

import dev.lakerank.jobs.catalog.TableDefinition;
import dev.lakerank.jobs.catalog.TableName;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * {@code ml.prediction_log}: every answer of the serving API, from Kafka topic {@code predictions}
 * ({@code stream logs}). Joins {@link FeedbackLog} on {@code request_id}: online click-through per
 * model version is a GROUP BY on {@code ranker}.
 */
public final class PredictionLog {
  private PredictionLog() {}

  public static final TableName NAME = new TableName("ml", "prediction_log");
  public static final String REQUEST_ID = "request_id";
  public static final String ENDPOINT = "endpoint";
  public static final String USER_ID = "user_id";

  /** The item ids answered, in rank order. */
  public static final String ITEMS = "items";

  /** Their scores, in the same order. */
  public static final String SCORES = "scores";

  /** The candidate generator, {@code name@version}; null when none answered (predict). */
  public static final String RECOMMENDER = "recommender";

  /** The ranker, {@code name@version}. */
  public static final String RANKER = "ranker";

  public static final String FALLBACK = "fallback";
  public static final String LATENCY_MICROS = "latency_micros";
  public static final String CREATED_AT = "created_at";

  /** The message's fields, as the serving API writes them (JSON). */
  public static final List<String> MESSAGE_FIELDS =
      List.of(
          REQUEST_ID,
          ENDPOINT,
          USER_ID,
          ITEMS,
          SCORES,
          RECOMMENDER,
          RANKER,
          FALLBACK,
          LATENCY_MICROS,
          CREATED_AT);

  public static final StructType SCHEMA =
      StreamSource.addTo(
          new StructType()
              .add(REQUEST_ID, DataTypes.StringType, false)
              .add(ENDPOINT, DataTypes.StringType, false)
              .add(USER_ID, DataTypes.LongType, true)
              .add(ITEMS, DataTypes.createArrayType(DataTypes.LongType, false), false)
              .add(SCORES, DataTypes.createArrayType(DataTypes.DoubleType, true), false)
              .add(RECOMMENDER, DataTypes.StringType, true)
              .add(RANKER, DataTypes.StringType, false)
              .add(FALLBACK, DataTypes.BooleanType, false)
              .add(LATENCY_MICROS, DataTypes.LongType, false)
              .add(CREATED_AT, DataTypes.TimestampType, false));

  public static final TableDefinition DEFINITION =
      new TableDefinition(
          NAME,
          SCHEMA,
          Map.of(TableDefinition.APPEND_ONLY, "true"),
          List.of(),
          "Every answer of the serving API (Kafka topic predictions); joins ml.feedback on request_id.");
}
