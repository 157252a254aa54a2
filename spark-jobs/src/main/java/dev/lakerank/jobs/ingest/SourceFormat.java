package dev.lakerank.jobs.ingest;

import dev.lakerank.jobs.JobErrors;
import dev.lakerank.jobs.tables.SilverInteractions;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The layouts {@code ingest} reads. The three MovieLens layouts are fixed ({@code user, item,
 * rating, timestamp}) and become {@code rating} events; the general formats map their columns to
 * bronze fields by name, or as {@code --map} says.
 */
public enum SourceFormat {
  CSV("csv", List.of(".csv", ".csv.gz")),
  JSON("json", List.of(".jsonl", ".json", ".ndjson", ".jsonl.gz", ".json.gz")),
  PARQUET("parquet", List.of(".parquet")),
  /** MovieLens 100K {@code u.data}: tab separated, no header. */
  MOVIELENS_UDATA("movielens-udata", List.of()),
  /** MovieLens 1M/10M {@code ratings.dat}: {@code ::} separated, no header. */
  MOVIELENS_DAT("movielens-dat", List.of()),
  /** MovieLens 20M/25M/32M and latest {@code ratings.csv}: comma separated, with a header. */
  MOVIELENS_CSV("movielens-csv", List.of());

  /** MovieLens column names, in file order, as bronze fields. */
  static final List<String> MOVIELENS_FIELDS =
      List.of(
          SilverInteractions.USER_ID,
          SilverInteractions.ITEM_ID,
          SilverInteractions.RATING,
          SilverInteractions.EVENT_TIME);

  /** The header of MovieLens {@code ratings.csv}, mapped to bronze fields. */
  static final Map<String, String> MOVIELENS_CSV_HEADER =
      Map.of(
          "userId",
          SilverInteractions.USER_ID,
          "movieId",
          SilverInteractions.ITEM_ID,
          "rating",
          SilverInteractions.RATING,
          "timestamp",
          SilverInteractions.EVENT_TIME);

  private final String flag;
  private final List<String> extensions;

  SourceFormat(String flag, List<String> extensions) {
    this.flag = flag;
    this.extensions = extensions;
  }

  /** The name on the command line ({@code --format movielens-dat}). */
  public String flag() {
    return flag;
  }

  /** Whether this is one of the MovieLens layouts. */
  public boolean isMovieLens() {
    return this == MOVIELENS_UDATA || this == MOVIELENS_DAT || this == MOVIELENS_CSV;
  }

  /** Parses a {@code --format} value. */
  public static SourceFormat parse(String text) {
    for (SourceFormat format : values()) {
      if (format.flag.equalsIgnoreCase(text) || format.name().equalsIgnoreCase(text)) {
        return format;
      }
    }
    throw JobErrors.invalidInput(
        "unknown format `"
            + text
            + "`; use one of "
            + Arrays.stream(values()).map(SourceFormat::flag).collect(Collectors.joining(", ")));
  }

  /**
   * The format of a file judged by its name: MovieLens by its well-known names, others by
   * extension. {@code ratings.csv} is MovieLens only when its header says so, which the caller
   * checks.
   */
  public static Optional<SourceFormat> fromFileName(String fileName) {
    String name = fileName.toLowerCase(Locale.ROOT);
    if (name.equals("u.data")) {
      return Optional.of(MOVIELENS_UDATA);
    }
    if (name.equals("ratings.dat")) {
      return Optional.of(MOVIELENS_DAT);
    }
    for (SourceFormat format : values()) {
      for (String extension : format.extensions) {
        if (name.endsWith(extension)) {
          return Optional.of(format);
        }
      }
    }
    return Optional.empty();
  }

  /** Whether {@code fileName} has one of this format's extensions (MovieLens: any name). */
  boolean accepts(String fileName) {
    if (extensions.isEmpty()) {
      return true;
    }
    String name = fileName.toLowerCase(Locale.ROOT);
    return extensions.stream().anyMatch(name::endsWith);
  }
}
