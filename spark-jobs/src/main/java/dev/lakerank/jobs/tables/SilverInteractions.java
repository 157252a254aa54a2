package dev.lakerank.jobs.tables;

import dev.lakerank.contract.messages.EventMessage;
import dev.lakerank.jobs.catalog.TableDefinition;
import dev.lakerank.jobs.catalog.TableName;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * {@code silver.interactions}: every valid interaction event once, typed. The field names are also
 * those upstream systems send, so bronze uses them for the raw text.
 */
public final class SilverInteractions {
  private SilverInteractions() {}

  public static final TableName NAME = new TableName("silver", "interactions");

  public static final String EVENT_ID = EventMessage.EVENT_ID;

  /** For clicks and purchases: the event id of the impression they follow. */
  public static final String IMPRESSION_ID = EventMessage.IMPRESSION_ID;

  public static final String USER_ID = EventMessage.USER_ID;
  public static final String ITEM_ID = EventMessage.ITEM_ID;
  public static final String EVENT_TYPE = EventMessage.EVENT_TYPE;
  public static final String EVENT_TIME = EventMessage.EVENT_TIME;
  public static final String EVENT_DATE = "event_date";
  public static final String DEVICE = EventMessage.DEVICE;
  public static final String SESSION_ID = EventMessage.SESSION_ID;

  /** For clicks: how long the user stayed on the item, in milliseconds. */
  public static final String DWELL_MS = EventMessage.DWELL_MS;

  /** For purchases: the amount paid. */
  public static final String PRICE = EventMessage.PRICE;

  /** For ratings: 0.5 to 5. */
  public static final String RATING = EventMessage.RATING;

  /** The fields of an event as upstream systems send them, in order. */
  public static final List<String> SOURCE_FIELDS = EventMessage.SCHEMA.fieldNames();

  /** Devices the validation accepts (an absent device is allowed: MovieLens has none). */
  public static final List<String> DEVICES = EventMessage.DEVICES;

  public static final StructType SCHEMA =
      new StructType()
          .add(EVENT_ID, DataTypes.StringType, false)
          .add(IMPRESSION_ID, DataTypes.StringType, true)
          .add(USER_ID, DataTypes.LongType, false)
          .add(ITEM_ID, DataTypes.LongType, false)
          .add(EVENT_TYPE, DataTypes.StringType, false)
          .add(EVENT_TIME, DataTypes.TimestampType, false)
          .add(EVENT_DATE, DataTypes.DateType, false)
          .add(DEVICE, DataTypes.StringType, true)
          .add(SESSION_ID, DataTypes.StringType, true)
          .add(DWELL_MS, DataTypes.LongType, true)
          .add(PRICE, DataTypes.DoubleType, true)
          .add(RATING, DataTypes.DoubleType, true)
          .add(IngestMetadata.BATCH_ID, DataTypes.StringType, false)
          .add(IngestMetadata.INGEST_TIME, DataTypes.TimestampType, false);

  public static final TableDefinition DEFINITION =
      new TableDefinition(
          NAME,
          SCHEMA,
          Map.of(),
          List.of(USER_ID),
          "Valid interaction events, one row per event id (MERGE on event_id).");
}
