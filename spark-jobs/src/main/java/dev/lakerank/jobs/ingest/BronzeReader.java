package dev.lakerank.jobs.ingest;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import dev.lakerank.jobs.ingest.ColumnMapping.SourceColumns;
import dev.lakerank.jobs.tables.BronzeTable;
import dev.lakerank.jobs.tables.IngestMetadata;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.DataFrameReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Source files read in their format, every column as text and unparseable lines kept whole in
 * {@code _corrupt_record}, as rows of a bronze table with the ingest metadata of each.
 */
final class BronzeReader {
  private final SparkSession spark;

  BronzeReader(SparkSession spark) {
    this.spark = spark;
  }

  /** The rows of {@code files} in {@code table}'s bronze layout. */
  Dataset<Row> read(
      BronzeTable table,
      SourceFormat format,
      IngestRequest request,
      SourceColumns source,
      List<SourceFile> files,
      String batchId,
      Instant ingested) {
    String[] paths = files.stream().map(SourceFile::readPath).toArray(String[]::new);
    Dataset<Row> raw = readSource(format, request, source, paths);
    List<Column> columns = new ArrayList<>();
    for (String field : table.sourceFields()) {
      columns.add(ColumnMapping.fieldValue(table, field, source, request).alias(field));
    }
    columns.add(col(IngestMetadata.CORRUPT_RECORD));
    columns.add(col("_metadata.file_path").alias(IngestMetadata.SOURCE_FILE));
    columns.add(col("_metadata.file_size").alias(IngestMetadata.SOURCE_SIZE));
    columns.add(col("_metadata.file_modification_time").alias(IngestMetadata.SOURCE_MODIFIED));
    columns.add(lit(Timestamp.from(ingested)).alias(IngestMetadata.INGEST_TIME));
    columns.add(lit(batchId).alias(IngestMetadata.BATCH_ID));
    return raw.select(columns.toArray(Column[]::new));
  }

  private Dataset<Row> readSource(
      SourceFormat format, IngestRequest request, SourceColumns source, String[] paths) {
    StructType schema = new StructType();
    for (String column : source.columns()) {
      schema = schema.add(column, DataTypes.StringType, true);
    }
    schema = schema.add(IngestMetadata.CORRUPT_RECORD, DataTypes.StringType, true);
    DataFrameReader reader =
        spark
            .read()
            .option("mode", "PERMISSIVE")
            .option("columnNameOfCorruptRecord", IngestMetadata.CORRUPT_RECORD);
    return switch (format) {
      case JSON -> reader.schema(schema).json(paths);
      case CSV, MOVIELENS_CSV ->
          reader
              .schema(schema)
              .option(
                  "header",
                  Boolean.toString(format == SourceFormat.MOVIELENS_CSV || request.header()))
              .option("enforceSchema", "false")
              .option("sep", format == SourceFormat.CSV ? request.delimiter() : ",")
              .csv(paths);
      case MOVIELENS_UDATA ->
          reader.schema(schema).option("sep", "\t").option("header", "false").csv(paths);
      case MOVIELENS_DAT ->
          reader.schema(schema).option("sep", "::").option("header", "false").csv(paths);
      case PARQUET ->
          spark
              .read()
              .parquet(paths)
              .withColumn(IngestMetadata.CORRUPT_RECORD, lit(null).cast(DataTypes.StringType));
    };
  }
}
