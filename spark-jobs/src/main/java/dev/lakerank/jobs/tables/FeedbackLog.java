package dev.lakerank.jobs.tables;

import dev.lakerank.contract.messages.FeedbackMessage;
import dev.lakerank.jobs.catalog.TableDefinition;
import dev.lakerank.jobs.catalog.TableName;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.types.StructType;

/**
 * {@code ml.feedback}: what users did with answered items, from Kafka topic {@code feedback}
 * ({@code stream logs}).
 */
public final class FeedbackLog {
  private FeedbackLog() {}

  public static final TableName NAME = new TableName("ml", "feedback");
  public static final String REQUEST_ID = FeedbackMessage.REQUEST_ID;
  public static final String ITEM_ID = FeedbackMessage.ITEM_ID;

  /** click, purchase, dismiss or rating. */
  public static final String EVENT = FeedbackMessage.EVENT;

  /** The rating, for a rating. */
  public static final String EVENT_VALUE = FeedbackMessage.EVENT_VALUE;

  public static final String RECEIVED_AT = FeedbackMessage.RECEIVED_AT;

  /** The events the serving API takes. */
  public static final List<String> EVENTS = FeedbackMessage.EVENTS;

  /** The message's fields, as the serving API writes them (JSON). */
  public static final List<String> MESSAGE_FIELDS = FeedbackMessage.SCHEMA.fieldNames();

  /** The message's columns, then the Kafka coordinates of {@link StreamSource}. */
  public static final StructType SCHEMA =
      StreamSource.addTo(MessageColumns.schema(FeedbackMessage.SCHEMA));

  public static final TableDefinition DEFINITION =
      new TableDefinition(
          NAME,
          SCHEMA,
          Map.of(TableDefinition.APPEND_ONLY, "true"),
          List.of(),
          "Clicks, purchases, dismissals and ratings on answered items (Kafka topic feedback); joins ml.prediction_log on request_id.");
}
