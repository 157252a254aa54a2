package dev.lakerank.jobs.tables;

import java.util.List;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;

/** The columns ingest adds to every bronze row, and the column that keeps an unparseable line. */
public final class IngestMetadata {
  private IngestMetadata() {}

  /** The source file's URI. */
  public static final String SOURCE_FILE = "_source_file";

  /** The source file's size in bytes when it was read. */
  public static final String SOURCE_SIZE = "_source_size";

  /** The source file's modification time when it was read. */
  public static final String SOURCE_MODIFIED = "_source_modified";

  /** When the row was ingested. */
  public static final String INGEST_TIME = "_ingest_time";

  /** The ingest run that wrote the row: time-ordered, unique per run. */
  public static final String BATCH_ID = "_batch_id";

  /** The raw text of a line the reader could not parse; null for a parsed row. */
  public static final String CORRUPT_RECORD = "_corrupt_record";

  /** The metadata columns, in table order. */
  public static List<StructField> fields() {
    return List.of(
        DataTypes.createStructField(SOURCE_FILE, DataTypes.StringType, false),
        DataTypes.createStructField(SOURCE_SIZE, DataTypes.LongType, false),
        DataTypes.createStructField(SOURCE_MODIFIED, DataTypes.TimestampType, false),
        DataTypes.createStructField(INGEST_TIME, DataTypes.TimestampType, false),
        DataTypes.createStructField(BATCH_ID, DataTypes.StringType, false));
  }
}
