package dev.lakerank.jobs.ingest;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sha2;
import static org.apache.spark.sql.functions.substring;

import dev.lakerank.jobs.LakerankException;
import dev.lakerank.jobs.Reporter;
import dev.lakerank.jobs.catalog.Lakehouse;
import dev.lakerank.jobs.tables.BronzeTable;
import dev.lakerank.jobs.tables.EventType;
import dev.lakerank.jobs.tables.IngestMetadata;
import dev.lakerank.jobs.tables.SilverInteractions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.DataFrameReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * {@code lakerank ingest}: source files into a bronze Delta table, every field kept as text, with
 * the source file, ingest time and batch id of each row.
 *
 * <p>Idempotent by file: a file whose path, size and modification time are already in the table is
 * skipped, so ingesting a directory again reads only the files that arrived since. A line the
 * reader cannot parse is kept whole in {@code _corrupt_record}, for transform to quarantine.
 */
public final class IngestJob {
  private static final DateTimeFormatter BATCH_TIME =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);

  private final Lakehouse lakehouse;
  private final SparkSession spark;
  private final Clock clock;
  private final Reporter reporter;

  public IngestJob(Lakehouse lakehouse, Clock clock, Reporter reporter) {
    this.lakehouse = lakehouse;
    this.spark = lakehouse.spark();
    this.clock = clock;
    this.reporter = reporter;
  }

  /** Ingests what {@code request} names. */
  public IngestSummary run(IngestRequest given) {
    IngestRequest request = given;
    if (request.sources().isEmpty()) {
      throw new LakerankException("no sources given; name the files or directories to ingest");
    }
    List<SourceFile> files = listFiles(request.sources());
    SourceFormat format = given.format().orElseGet(() -> detectFormat(files));
    List<SourceFile> readable =
        files.stream().filter(f -> format.accepts(fileName(f.uri()))).toList();
    if (readable.isEmpty()) {
      throw new LakerankException(
          "no "
              + format.flag()
              + " files under "
              + String.join(", ", given.sources())
              + "; check the path or pass --format");
    }
    BronzeTable table = given.table().orElseGet(() -> detectTable(format, given.sources()));
    if (format.isMovieLens() && !request.constants().containsKey(SilverInteractions.EVENT_TYPE)) {
      // MovieLens files hold ratings only
      Map<String, String> constants = new HashMap<>(request.constants());
      constants.put(SilverInteractions.EVENT_TYPE, EventType.RATING.value());
      request =
          new IngestRequest(
              request.sources(),
              request.format(),
              request.table(),
              request.columnMap(),
              constants,
              request.delimiter(),
              request.header(),
              request.columns(),
              request.allowChanged());
    }

    Map<String, List<SourceFile>> known = ingestedFiles(table);
    List<SourceFile> fresh = new ArrayList<>();
    int skipped = 0;
    for (SourceFile file : readable) {
      List<SourceFile> versions = known.getOrDefault(file.uri(), List.of());
      if (versions.isEmpty()) {
        fresh.add(file);
      } else if (!versions.contains(file)) {
        SourceFile before = versions.get(versions.size() - 1);
        if (!request.allowChanged()) {
          throw new LakerankException(
              "source file "
                  + file.uri()
                  + " changed since it was ingested (then "
                  + before.size()
                  + " bytes, modified "
                  + Instant.ofEpochMilli(before.modifiedMillis())
                  + "; now "
                  + file.size()
                  + " bytes, modified "
                  + Instant.ofEpochMilli(file.modifiedMillis())
                  + "). Bronze is append-only: write new data to a new file, or pass --allow-changed "
                  + "to ingest it again (transform keeps one row per event id)");
        }
        fresh.add(file);
      } else {
        skipped++;
      }
    }
    if (fresh.isEmpty()) {
      reporter.detail(
          table.tableName() + ": all " + skipped + " files were ingested before; nothing to do");
      return new IngestSummary(
          table, format, null, 0, skipped, 0, 0, lakehouse.version(table.tableName()));
    }

    String batchId = newBatchId();
    reporter.step(
        "ingest "
            + table.tableName()
            + ": "
            + fresh.size()
            + " "
            + format.flag()
            + " files"
            + (skipped > 0 ? " (" + skipped + " already ingested)" : "")
            + ", batch "
            + batchId);
    Dataset<Row> bronze = toBronze(table, format, request, fresh, batchId);
    lakehouse.createIfNotExists(table.definition());
    bronze
        .write()
        .format("delta")
        .mode(SaveMode.Append)
        .option("userMetadata", "ingest batch " + batchId)
        .save(lakehouse.location(table.tableName()));

    Row counts =
        lakehouse
            .read(table.tableName())
            .where(col(IngestMetadata.BATCH_ID).equalTo(batchId))
            .selectExpr("count(*)", "count(" + IngestMetadata.CORRUPT_RECORD + ")")
            .head();
    return new IngestSummary(
        table,
        format,
        batchId,
        fresh.size(),
        skipped,
        counts.getLong(0),
        counts.getLong(1),
        lakehouse.version(table.tableName()));
  }

  /**
   * The rows of {@code files} in {@code table}'s bronze layout. Package-private for tests that
   * check a layout's parsing without writing a table.
   */
  Dataset<Row> toBronze(
      BronzeTable table,
      SourceFormat format,
      IngestRequest request,
      List<SourceFile> files,
      String batchId) {
    String[] paths = files.stream().map(SourceFile::readPath).toArray(String[]::new);
    SourceColumns source = sourceColumns(table, format, request, files.get(0));
    Dataset<Row> raw = read(format, request, source, paths);

    List<Column> columns = new ArrayList<>();
    for (String field : table.sourceFields()) {
      columns.add(fieldValue(table, field, source, request).alias(field));
    }
    columns.add(col(IngestMetadata.CORRUPT_RECORD));
    columns.add(col("_metadata.file_path").alias(IngestMetadata.SOURCE_FILE));
    columns.add(col("_metadata.file_size").alias(IngestMetadata.SOURCE_SIZE));
    columns.add(col("_metadata.file_modification_time").alias(IngestMetadata.SOURCE_MODIFIED));
    columns.add(lit(Timestamp.from(clock.instant())).alias(IngestMetadata.INGEST_TIME));
    columns.add(lit(batchId).alias(IngestMetadata.BATCH_ID));
    return raw.select(columns.toArray(Column[]::new));
  }

  private Column fieldValue(
      BronzeTable table, String field, SourceColumns source, IngestRequest request) {
    String constant = request.constants().get(field);
    if (constant != null) {
      return lit(constant);
    }
    if (source.has(field)) {
      return col(quote(source.columnFor(field))).cast(DataTypes.StringType);
    }
    if (table == BronzeTable.EVENTS
        && field.equals(SilverInteractions.EVENT_ID)
        && source.derivesEventId()) {
      // sources without event ids (MovieLens) get a stable one from the event's content, so the
      // same event read twice is recognized as a duplicate
      Column content =
          concat_ws(
              "|",
              fieldValue(table, SilverInteractions.USER_ID, source, request),
              fieldValue(table, SilverInteractions.ITEM_ID, source, request),
              fieldValue(table, SilverInteractions.EVENT_TYPE, source, request),
              fieldValue(table, SilverInteractions.EVENT_TIME, source, request));
      return concat(lit("h-"), substring(sha2(content, 256), 1, 32));
    }
    return lit(null).cast(DataTypes.StringType);
  }

  private Dataset<Row> read(
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

  /**
   * The columns of the source and which bronze field each feeds, checked against the fields the
   * table needs.
   */
  private SourceColumns sourceColumns(
      BronzeTable table, SourceFormat format, IngestRequest request, SourceFile first) {
    List<String> columns;
    Map<String, String> fieldToColumn = new LinkedHashMap<>();
    switch (format) {
      case MOVIELENS_UDATA, MOVIELENS_DAT -> {
        columns = SourceFormat.MOVIELENS_FIELDS;
        columns.forEach(c -> fieldToColumn.put(c, c));
      }
      case MOVIELENS_CSV -> {
        columns = csvHeader(first, ",");
        for (String column : columns) {
          String field = SourceFormat.MOVIELENS_CSV_HEADER.get(column);
          if (field != null) {
            fieldToColumn.put(field, column);
          }
        }
      }
      case JSON -> {
        // JSON fields are looked up by name per line; a missing field reads as null and the row is
        // quarantined by transform with the field it lacks
        columns = new ArrayList<>();
        for (String field : table.sourceFields()) {
          String column = request.columnMap().getOrDefault(field, field);
          columns.add(column);
          fieldToColumn.put(field, column);
        }
      }
      case CSV ->
          columns =
              request.header()
                  ? csvHeader(first, request.delimiter())
                  : headerlessColumns(request, first);
      case PARQUET -> columns = List.of(spark.read().parquet(first.readPath()).columns());
      default -> throw new IllegalStateException(format.name());
    }
    if (format == SourceFormat.CSV || format == SourceFormat.PARQUET) {
      for (String field : table.sourceFields()) {
        String column = request.columnMap().getOrDefault(field, field);
        if (columns.contains(column)) {
          fieldToColumn.put(field, column);
        }
      }
    }
    for (Map.Entry<String, String> mapping : request.columnMap().entrySet()) {
      if (!table.sourceFields().contains(mapping.getKey())) {
        throw new LakerankException(
            "--map "
                + mapping.getKey()
                + "="
                + mapping.getValue()
                + ": "
                + table.tableName()
                + " has no field `"
                + mapping.getKey()
                + "` (fields: "
                + String.join(", ", table.sourceFields())
                + ")");
      }
      if (format != SourceFormat.JSON && !columns.contains(mapping.getValue())) {
        throw new LakerankException(
            "--map "
                + mapping.getKey()
                + "="
                + mapping.getValue()
                + ": "
                + fileName(first.uri())
                + " has no column `"
                + mapping.getValue()
                + "` (found: "
                + String.join(", ", columns)
                + ")");
      }
    }
    boolean derivesEventId =
        table == BronzeTable.EVENTS
            && !fieldToColumn.containsKey(SilverInteractions.EVENT_ID)
            && !request.constants().containsKey(SilverInteractions.EVENT_ID);
    SourceColumns source = new SourceColumns(columns, fieldToColumn, derivesEventId);
    checkRequired(table, format, request, source, first, columns);
    if (format.isMovieLens() || format == SourceFormat.CSV || format == SourceFormat.PARQUET) {
      List<String> unused = columns.stream().filter(c -> !fieldToColumn.containsValue(c)).toList();
      if (!unused.isEmpty()) {
        reporter.detail(
            "columns not kept in "
                + table.tableName()
                + ": "
                + String.join(", ", unused)
                + " (map one to a field with --map <field>=<column>)");
      }
    }
    if (derivesEventId) {
      reporter.detail(
          fileName(first.uri())
              + " has no event_id: deriving it from user_id, item_id, event_type and event_time");
    }
    return source;
  }

  private void checkRequired(
      BronzeTable table,
      SourceFormat format,
      IngestRequest request,
      SourceColumns source,
      SourceFile first,
      List<String> columns) {
    if (format == SourceFormat.JSON) {
      return;
    }
    for (String field : table.requiredSourceFields()) {
      if (!source.has(field) && !request.constants().containsKey(field)) {
        throw new LakerankException(
            "column `"
                + field
                + "` is missing from "
                + fileName(first.uri())
                + " (found: "
                + String.join(", ", columns)
                + "); map it with --map "
                + field
                + "=<column>");
      }
    }
    if (table == BronzeTable.EVENTS
        && !source.has(SilverInteractions.EVENT_TYPE)
        && !request.constants().containsKey(SilverInteractions.EVENT_TYPE)) {
      throw new LakerankException(
          fileName(first.uri())
              + " has no event_type column (found: "
              + String.join(", ", columns)
              + "); map one with --map event_type=<column> or give every row the same type with "
              + "--constant event_type=rating");
    }
  }

  private List<String> csvHeader(SourceFile file, String delimiter) {
    String[] header =
        spark
            .read()
            .option("header", "true")
            .option("sep", delimiter)
            .csv(file.readPath())
            .columns();
    return List.of(header);
  }

  private List<String> headerlessColumns(IngestRequest request, SourceFile first) {
    if (request.columns().isEmpty()) {
      throw new LakerankException(
          fileName(first.uri())
              + " is read without a header, so its columns need names; pass "
              + "--columns user_id,item_id,... in file order");
    }
    return request.columns();
  }

  /** The versions of files already in {@code table}, by URI. */
  private Map<String, List<SourceFile>> ingestedFiles(BronzeTable table) {
    Map<String, List<SourceFile>> known = new HashMap<>();
    if (!lakehouse.exists(table.tableName())) {
      return known;
    }
    List<Row> rows =
        lakehouse
            .read(table.tableName())
            .groupBy(
                IngestMetadata.SOURCE_FILE,
                IngestMetadata.SOURCE_SIZE,
                IngestMetadata.SOURCE_MODIFIED)
            .count()
            .collectAsList();
    for (Row row : rows) {
      // a file re-ingested with --allow-changed has one entry per version it was ingested in
      // Spark records the path URL-encoded (a%20b.csv): decode it before it is spelled canonically
      String recorded = new Path(java.net.URI.create(row.getString(0))).toString();
      SourceFile file =
          new SourceFile(canonical(recorded), row.getLong(1), row.getTimestamp(2).getTime());
      known.computeIfAbsent(file.uri(), uri -> new ArrayList<>()).add(file);
    }
    return known;
  }

  /**
   * The data files under {@code sources} (files, or directories read recursively without the {@code
   * _} and {@code .} files writers leave), by URI.
   *
   * @throws LakerankException when a source does not exist or holds no files
   */
  public List<SourceFile> listFiles(List<String> sources) {
    List<SourceFile> files = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (String source : sources) {
      Path path = new Path(source);
      try {
        FileSystem fs = path.getFileSystem(spark.sparkContext().hadoopConfiguration());
        if (!fs.exists(path)) {
          throw new LakerankException("source " + source + " does not exist; check the path");
        }
        FileStatus status = fs.getFileStatus(path);
        if (status.isFile()) {
          add(files, seen, fs, status);
          continue;
        }
        RemoteIterator<LocatedFileStatus> listing = fs.listFiles(path, true);
        while (listing.hasNext()) {
          LocatedFileStatus file = listing.next();
          if (!hidden(file.getPath(), path)) {
            add(files, seen, fs, file);
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot list " + source, e);
      }
    }
    if (files.isEmpty()) {
      throw new LakerankException(
          "no files under " + String.join(", ", sources) + "; check the path");
    }
    files.sort((a, b) -> a.uri().compareTo(b.uri()));
    return files;
  }

  private static void add(
      List<SourceFile> files, Set<String> seen, FileSystem fs, FileStatus status) {
    String uri = canonical(fs.makeQualified(status.getPath()).toString());
    if (seen.add(uri)) {
      files.add(new SourceFile(uri, status.getLen(), status.getModificationTime()));
    }
  }

  /** Files and directories whose name starts with _ or . are a writer's bookkeeping, not data. */
  private static boolean hidden(Path file, Path root) {
    for (Path p = file; p != null && !p.equals(root); p = p.getParent()) {
      String name = p.getName();
      if (name.startsWith("_") || name.startsWith(".")) {
        return true;
      }
    }
    return false;
  }

  private SourceFormat detectFormat(List<SourceFile> files) {
    Set<SourceFormat> formats = new HashSet<>();
    for (SourceFile file : files) {
      SourceFormat.fromFileName(fileName(file.uri())).ifPresent(formats::add);
    }
    if (formats.size() != 1) {
      throw new LakerankException(
          formats.isEmpty()
              ? "cannot tell the format of "
                  + fileName(files.get(0).uri())
                  + "; pass --format csv|json|parquet|movielens-udata|movielens-dat|movielens-csv"
              : "the sources mix formats " + formats + "; ingest them separately or pass --format");
    }
    SourceFormat format = formats.iterator().next();
    if (format == SourceFormat.CSV && fileName(files.get(0).uri()).equals("ratings.csv")) {
      List<String> header = csvHeader(files.get(0), ",");
      if (header.containsAll(SourceFormat.MOVIELENS_CSV_HEADER.keySet())) {
        return SourceFormat.MOVIELENS_CSV;
      }
    }
    return format;
  }

  private static BronzeTable detectTable(SourceFormat format, List<String> sources) {
    if (format.isMovieLens()) {
      return BronzeTable.EVENTS;
    }
    Set<BronzeTable> tables = new HashSet<>();
    for (String source : sources) {
      BronzeTable found = null;
      for (Path p = new Path(source); p != null && found == null; p = p.getParent()) {
        String stem = p.getName().replaceFirst("\\..*$", "");
        for (BronzeTable table : BronzeTable.values()) {
          if (stem.equals(table.value())) {
            found = table;
          }
        }
      }
      if (found == null) {
        throw new LakerankException(
            "cannot tell which bronze table " + source + " feeds; pass --table events|users|items");
      }
      tables.add(found);
    }
    if (tables.size() > 1) {
      throw new LakerankException(
          "the sources feed different tables "
              + tables
              + "; ingest them separately or pass --table");
    }
    return tables.iterator().next();
  }

  private String newBatchId() {
    return BATCH_TIME.format(clock.instant())
        + "-"
        + String.format("%06x", ThreadLocalRandom.current().nextInt(0x1000000));
  }

  /**
   * One spelling per file: Spark reports {@code file:///tmp/a}, Hadoop qualifies it as {@code
   * file:/tmp/a}.
   */
  static String canonical(String uri) {
    java.net.URI parsed = new Path(uri).toUri();
    String authority =
        parsed.getAuthority() == null || parsed.getAuthority().isEmpty()
            ? null
            : parsed.getAuthority();
    try {
      return new java.net.URI(parsed.getScheme(), authority, parsed.getPath(), null, null)
          .toString();
    } catch (java.net.URISyntaxException e) {
      throw new IllegalArgumentException("not a URI: " + uri, e);
    }
  }

  private static String fileName(String uri) {
    return new Path(uri).getName();
  }

  private static String quote(String column) {
    return "`" + column.replace("`", "``") + "`";
  }

  /** Source columns and the bronze field each one feeds. */
  private record SourceColumns(
      List<String> columns, Map<String, String> fieldToColumn, boolean derivesEventId) {
    boolean has(String field) {
      return fieldToColumn.containsKey(field);
    }

    String columnFor(String field) {
      return fieldToColumn.get(field);
    }
  }
}
