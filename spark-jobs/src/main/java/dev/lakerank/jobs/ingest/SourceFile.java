package dev.lakerank.jobs.ingest;

import static java.util.Objects.requireNonNull;

/**
 * A source file and what identifies its contents: the same path with the same size and
 * modification time is the same file, and is not ingested twice.
 *
 * @param uri the file's fully qualified URI, as Spark reports it in {@code _metadata.file_path}
 */
public record SourceFile(String uri, long size, long modifiedMillis) {
  public SourceFile {
    requireNonNull(uri, "uri");
  }
}
