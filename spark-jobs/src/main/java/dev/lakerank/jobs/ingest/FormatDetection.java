package dev.lakerank.jobs.ingest;

import dev.lakerank.jobs.JobErrors;
import dev.lakerank.jobs.tables.BronzeTable;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;

/**
 * The format and the bronze table of sources that do not say: the format from the files' names (a
 * MovieLens {@code ratings.csv} by its header), the table from a directory or file named {@code
 * events}, {@code users} or {@code items}.
 */
final class FormatDetection {
  private final SparkSession spark;

  FormatDetection(SparkSession spark) {
    this.spark = spark;
  }

  SourceFormat format(List<SourceFile> files) {
    Set<SourceFormat> formats = new HashSet<>();
    for (SourceFile file : files) {
      SourceFormat.fromFileName(SourceListing.fileName(file.uri())).ifPresent(formats::add);
    }
    if (formats.size() != 1) {
      throw JobErrors.invalidInput(
          formats.isEmpty()
              ? "cannot tell the format of "
                  + SourceListing.fileName(files.get(0).uri())
                  + "; pass --format csv|json|parquet|movielens-udata|movielens-dat|movielens-csv"
              : "the sources mix formats " + formats + "; ingest them separately or pass --format");
    }
    SourceFormat format = formats.iterator().next();
    if (format == SourceFormat.CSV
        && SourceListing.fileName(files.get(0).uri()).equals("ratings.csv")) {
      List<String> header = csvHeader(spark, files.get(0), ",");
      if (header.containsAll(SourceFormat.MOVIELENS_CSV_HEADER.keySet())) {
        return SourceFormat.MOVIELENS_CSV;
      }
    }
    return format;
  }

  static BronzeTable table(SourceFormat format, List<String> sources) {
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
        throw JobErrors.invalidInput(
            "cannot tell which bronze table " + source + " feeds; pass --table events|users|items");
      }
      tables.add(found);
    }
    if (tables.size() > 1) {
      throw JobErrors.invalidInput(
          "the sources feed different tables "
              + tables
              + "; ingest them separately or pass --table");
    }
    return tables.iterator().next();
  }

  /** The header line of a CSV file, as column names. */
  static List<String> csvHeader(SparkSession spark, SourceFile file, String delimiter) {
    String[] header =
        spark
            .read()
            .option("header", "true")
            .option("sep", delimiter)
            .csv(file.readPath())
            .columns();
    return List.of(header);
  }
}
