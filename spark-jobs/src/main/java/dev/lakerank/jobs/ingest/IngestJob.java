package dev.lakerank.jobs.ingest;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;

import dev.lakerank.jobs.JobErrors;
import dev.lakerank.jobs.LakerankException;
import dev.lakerank.jobs.Reporter;
import dev.lakerank.jobs.catalog.Lakehouse;
import dev.lakerank.jobs.tables.BronzeTable;
import dev.lakerank.jobs.tables.EventType;
import dev.lakerank.jobs.tables.IngestMetadata;
import dev.lakerank.jobs.tables.SilverInteractions;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

/**
 * {@code lakerank ingest}: source files into a bronze Delta table, every field kept as text, with
 * the source file, ingest time and batch id of each row.
 *
 * <p>Idempotent by file: a file whose path, size and modification time are already in the table is
 * skipped, so ingesting a directory again reads only the files that arrived since. A line the
 * reader cannot parse is kept whole in {@code _corrupt_record}, for transform to quarantine. The
 * parts: {@link SourceListing} lists the files, {@link FormatDetection} tells their format and
 * table, {@link IngestLedger} knows which are in the table, {@link ColumnMapping} maps their
 * columns to bronze fields, {@link BronzeReader} reads them; this class writes and counts.
 */
public final class IngestJob {
  private static final DateTimeFormatter BATCH_TIME =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);

  private final Lakehouse lakehouse;
  private final Clock clock;
  private final Reporter reporter;
  private final SourceListing listing;
  private final FormatDetection detection;
  private final IngestLedger ledger;
  private final ColumnMapping mapping;
  private final BronzeReader reader;

  public IngestJob(Lakehouse lakehouse, Clock clock, Reporter reporter) {
    this.lakehouse = lakehouse;
    this.clock = clock;
    this.reporter = reporter;
    SparkSession spark = lakehouse.spark();
    this.listing = new SourceListing(spark.sparkContext().hadoopConfiguration());
    this.detection = new FormatDetection(spark);
    this.ledger = new IngestLedger(lakehouse);
    this.mapping = new ColumnMapping(spark, reporter);
    this.reader = new BronzeReader(spark);
  }

  /** Ingests what {@code request} names. */
  public IngestSummary run(IngestRequest given) {
    if (given.sources().isEmpty()) {
      throw JobErrors.invalidInput("no sources given; name the files or directories to ingest");
    }
    List<SourceFile> files = listFiles(given.sources());
    SourceFormat format = given.format().orElseGet(() -> detection.format(files));
    List<SourceFile> readable =
        files.stream().filter(f -> format.accepts(SourceListing.fileName(f.uri()))).toList();
    if (readable.isEmpty()) {
      throw JobErrors.notFound(
          "no "
              + format.flag()
              + " files under "
              + String.join(", ", given.sources())
              + "; check the path or pass --format");
    }
    BronzeTable table =
        given.table().orElseGet(() -> FormatDetection.table(format, given.sources()));
    IngestRequest request = withLayoutConstants(given, format);

    IngestLedger.Fresh fresh = ledger.fresh(table, readable, request.allowChanged());
    int skipped = fresh.skipped();
    if (fresh.files().isEmpty()) {
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
            + fresh.files().size()
            + " "
            + format.flag()
            + " files"
            + (skipped > 0 ? " (" + skipped + " already ingested)" : "")
            + ", batch "
            + batchId);
    Dataset<Row> bronze =
        reader.read(
            table,
            format,
            request,
            mapping.sourceColumns(table, format, request, fresh.files().get(0)),
            fresh.files(),
            batchId,
            clock.instant());
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
            .select(count(lit(1)), count(col(IngestMetadata.CORRUPT_RECORD)))
            .head();
    return new IngestSummary(
        table,
        format,
        batchId,
        fresh.files().size(),
        skipped,
        counts.getLong(0),
        counts.getLong(1),
        lakehouse.version(table.tableName()));
  }

  /**
   * The data files under {@code sources} (files, or directories read recursively without the {@code
   * _} and {@code .} files writers leave), by URI.
   *
   * @throws LakerankException when a source does not exist or holds no files
   */
  public List<SourceFile> listFiles(List<String> sources) {
    return listing.list(sources);
  }

  /** MovieLens files hold ratings only: their event type, unless one was given. */
  private static IngestRequest withLayoutConstants(IngestRequest request, SourceFormat format) {
    if (!format.isMovieLens() || request.constants().containsKey(SilverInteractions.EVENT_TYPE)) {
      return request;
    }
    Map<String, String> constants = new HashMap<>(request.constants());
    constants.put(SilverInteractions.EVENT_TYPE, EventType.RATING.value());
    return new IngestRequest(
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

  private String newBatchId() {
    return BATCH_TIME.format(clock.instant())
        + "-"
        + String.format("%06x", ThreadLocalRandom.current().nextInt(0x1000000));
  }
}
