package dev.lakerank.jobs.tables;

import java.util.List;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The columns a row read from Kafka carries in the tables the streaming jobs write: where the
 * message was, and when the stream took it. {@code (_topic, _partition, _offset)} is unique per
 * message, which is how the exactly-once tests count lost and doubled rows.
 */
public final class StreamSource {
  private StreamSource() {}

  public static final String TOPIC = "_topic";
  public static final String PARTITION = "_partition";
  public static final String OFFSET = "_offset";

  /**
   * The message's Kafka timestamp: when it was produced (or appended, for LogAppendTime topics).
   */
  public static final String KAFKA_TIME = "_kafka_time";

  /** When the micro-batch that wrote the row ran. */
  public static final String INGEST_TIME = "_ingest_time";

  /** The micro-batch: {@code stream-<query>-<query id>-<batch id>}. */
  public static final String BATCH_ID = "_batch_id";

  /** The columns, in table order. */
  public static List<StructField> fields() {
    return List.of(
        DataTypes.createStructField(TOPIC, DataTypes.StringType, false),
        DataTypes.createStructField(PARTITION, DataTypes.IntegerType, false),
        DataTypes.createStructField(OFFSET, DataTypes.LongType, false),
        DataTypes.createStructField(KAFKA_TIME, DataTypes.TimestampType, false),
        DataTypes.createStructField(INGEST_TIME, DataTypes.TimestampType, false),
        DataTypes.createStructField(BATCH_ID, DataTypes.StringType, false));
  }

  /** {@code schema} followed by the source columns. */
  public static StructType addTo(StructType schema) {
    StructType out = schema;
    for (StructField field : fields()) {
      out = out.add(field);
    }
    return out;
  }
}
