package dev.lakerank.streaming.internal;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.from_json;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.octet_length;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.when;

import dev.lakerank.jobs.tables.IngestMetadata;
import dev.lakerank.jobs.tables.StreamSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Kafka messages that hold one JSON object each, read the way bronze reads a line: every field as
 * text (a number, a nested object or an array keeps its JSON text), so that a wrong type is a
 * validation result with its reason, never a lost message. A message that is not a JSON object
 * (empty, truncated, an array, binary) keeps its text in {@code _corrupt_record}, which the {@code
 * malformed_record} rule rejects.
 */
public final class JsonMessages {
  /** The message's value as text, as it arrived. */
  public static final String PAYLOAD = "_payload";

  /** The size of the message's value in bytes. */
  public static final String PAYLOAD_BYTES = "_payload_bytes";

  private JsonMessages() {}

  /**
   * Kafka rows ({@code value}, {@code topic}, {@code partition}, {@code offset}, {@code timestamp})
   * as {@code fields} (text), {@code _corrupt_record}, {@link #PAYLOAD}, {@link #PAYLOAD_BYTES} and
   * the Kafka coordinates and time ({@link StreamSource} names).
   */
  public static Dataset<Row> parse(Dataset<Row> kafka, List<String> fields) {
    StructType schema = new StructType();
    for (String field : fields) {
      schema = schema.add(field, DataTypes.StringType, true);
    }
    schema = schema.add(IngestMetadata.CORRUPT_RECORD, DataTypes.StringType, true);
    Column payload = col("value").cast(DataTypes.StringType);
    Column parsed =
        from_json(
            payload,
            schema,
            Map.of(
                "mode", "PERMISSIVE", "columnNameOfCorruptRecord", IngestMetadata.CORRUPT_RECORD));
    List<Column> columns = new ArrayList<>();
    for (String field : fields) {
      columns.add(col("_parsed." + field).alias(field));
    }
    // an empty or absent value parses to nothing at all: it is an unreadable record too
    columns.add(
        when(payload.isNull().or(trim(payload).equalTo("")), coalesce(payload, lit("")))
            .when(col("_parsed").isNull(), payload)
            .otherwise(col("_parsed." + IngestMetadata.CORRUPT_RECORD))
            .alias(IngestMetadata.CORRUPT_RECORD));
    columns.add(payload.alias(PAYLOAD));
    columns.add(
        coalesce(octet_length(col("value")), lit(0)).cast(DataTypes.LongType).alias(PAYLOAD_BYTES));
    columns.add(col("topic").alias(StreamSource.TOPIC));
    columns.add(col("partition").alias(StreamSource.PARTITION));
    columns.add(col("offset").alias(StreamSource.OFFSET));
    columns.add(col("timestamp").alias(StreamSource.KAFKA_TIME));
    return kafka.withColumn("_parsed", parsed).select(columns.toArray(Column[]::new));
  }
}
