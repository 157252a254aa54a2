package dev.lakerank.jobs.ingest;

import dev.lakerank.jobs.JobErrors;
import dev.lakerank.jobs.LakerankException;
import dev.lakerank.jobs.catalog.Lakehouse;
import dev.lakerank.jobs.tables.BronzeTable;
import dev.lakerank.jobs.tables.IngestMetadata;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Row;

/**
 * Which files a bronze table already holds, from its own {@code _source_file}, {@code _source_size}
 * and {@code _source_modified} columns: a file seen before is skipped, a file that changed is
 * refused unless allowed.
 */
final class IngestLedger {
  /** The files to read and how many were skipped as ingested before. */
  record Fresh(List<SourceFile> files, int skipped) {
    Fresh {
      files = List.copyOf(files);
    }
  }

  private final Lakehouse lakehouse;

  IngestLedger(Lakehouse lakehouse) {
    this.lakehouse = lakehouse;
  }

  /**
   * The files of {@code readable} that {@code table} does not hold yet.
   *
   * @throws LakerankException when a file changed since it was ingested and {@code allowChanged} is
   *     false
   */
  Fresh fresh(BronzeTable table, List<SourceFile> readable, boolean allowChanged) {
    Map<String, List<SourceFile>> known = ingestedFiles(table);
    List<SourceFile> fresh = new ArrayList<>();
    int skipped = 0;
    for (SourceFile file : readable) {
      List<SourceFile> versions = known.getOrDefault(file.uri(), List.of());
      if (versions.isEmpty()) {
        fresh.add(file);
      } else if (!versions.contains(file)) {
        SourceFile before = versions.get(versions.size() - 1);
        if (!allowChanged) {
          throw JobErrors.conflict(
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
    return new Fresh(fresh, skipped);
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
          new SourceFile(
              SourceListing.canonical(recorded), row.getLong(1), row.getTimestamp(2).getTime());
      known.computeIfAbsent(file.uri(), uri -> new ArrayList<>()).add(file);
    }
    return known;
  }
}
