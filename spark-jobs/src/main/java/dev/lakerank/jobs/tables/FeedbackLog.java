package dev.lakerank.jobs.tables;

import dev.lakerank.jobs.catalog.TableDefinition;
import dev.lakerank.jobs.catalog.TableName;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * {@code ml.feedback}: what users did with answered items, from Kafka topic {@code feedback}
 * ({@code stream logs}).
 */
public final class FeedbackLog {
  private FeedbackLog() {}

  public static final TableName NAME = new TableName("ml", "feedback");
  public static final String REQUEST_ID = "request_id";
  public static final String ITEM_ID = "item_id";

  /** click, purchase, dismiss or rating. */
  public static final String EVENT = "event";

  /** The rating, for a rating. */
  public static final String EVENT_VALUE = "event_value";

  public static final String RECEIVED_AT = "received_at";

  /** The events the serving API takes. */
  public static final List<String> EVENTS = List.of("click", "purchase", "dismiss", "rating");

  /** The message's fields, as the serving API writes them (JSON). */
  public static final List<String> MESSAGE_FIELDS =
      List.of(REQUEST_ID, ITEM_ID, EVENT, EVENT_VALUE, RECEIVED_AT);

  public static final StructType SCHEMA =
      StreamSource.addTo(
          new StructType()
              .add(REQUEST_ID, DataTypes.StringType, false)
              .add(ITEM_ID, DataTypes.LongType, false)
              .add(EVENT, DataTypes.StringType, false)
              .add(EVENT_VALUE, DataTypes.DoubleType, true)
              .add(RECEIVED_AT, DataTypes.TimestampType, false));

  public static final TableDefinition DEFINITION =
      new TableDefinition(
          NAME,
          SCHEMA,
          Map.of(TableDefinition.APPEND_ONLY, "true"),
          List.of(),
          "Clicks, purchases, dismissals and ratings on answered items (Kafka topic feedback); joins ml.prediction_log on request_id.");
}
