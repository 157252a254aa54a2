package dev.lakerank.jobs.testing;

import dev.lakerank.jobs.tables.BronzeTable;
import dev.lakerank.jobs.tables.IngestMetadata;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;

/** In-memory bronze rows for tests: a valid row by default, with the fields a test changes. */
public final class BronzeRows {
  public static final Instant INGESTED = Instant.parse("2026-02-01T00:00:00Z");

  private BronzeRows() {}

  /**
   * A valid click event with id {@code eventId}, changed by {@code overrides} (null removes a
   * field).
   */
  public static Map<String, String> event(String eventId, Map<String, String> overrides) {
    Map<String, String> fields = new HashMap<>();
    fields.put("event_id", eventId);
    fields.put("impression_id", "imp-" + eventId);
    fields.put("user_id", "1");
    fields.put("item_id", "10");
    fields.put("event_type", "click");
    fields.put("event_time", "2026-01-15T10:00:00Z");
    fields.put("device", "mobile");
    fields.put("session_id", "s-1");
    fields.put("dwell_ms", "1500");
    fields.putAll(overrides);
    return fields;
  }

  /** The rows as a Dataset in {@code table}'s bronze schema, from file {@code sourceFile}. */
  @SafeVarargs
  public static Dataset<Row> of(
      SparkSession spark, BronzeTable table, String sourceFile, Map<String, String>... rows) {
    List<Row> result = new ArrayList<>();
    for (Map<String, String> fields : rows) {
      List<Object> values = new ArrayList<>();
      for (String field : table.sourceFields()) {
        values.add(fields.get(field));
      }
      values.add(fields.get(IngestMetadata.CORRUPT_RECORD));
      values.add(sourceFile);
      values.add(100L);
      values.add(Timestamp.from(INGESTED));
      values.add(Timestamp.from(INGESTED));
      values.add("batch-1");
      result.add(RowFactory.create(values.toArray()));
    }
    return spark.createDataFrame(result, table.definition().schema());
  }
}
