package dev.lakerank.jobs.ingest;

import static java.util.Objects.requireNonNull;

/**
 * A source file and what identifies its contents: the same path with the same size and modification
 * time is the same file, and is not ingested twice.
 *
 * @param uri the file's fully qualified URI, as Spark reports it in {@code _metadata.file_path}
 */
public record SourceFile(String uri, long size, long modifiedMillis) {
  public SourceFile {
    requireNonNull(uri, "uri");
  }

  /**
   * The path to hand Spark's readers: the URI decoded ({@code a%20b.csv} is the file {@code a
   * b.csv}) with Hadoop's glob characters escaped, so a name with spaces, brackets or braces reads
   * this one file.
   */
  public String readPath() {
    String decoded = new org.apache.hadoop.fs.Path(java.net.URI.create(uri)).toString();
    StringBuilder escaped = new StringBuilder(decoded.length());
    for (char c : decoded.toCharArray()) {
      if ("\\[]{}*?".indexOf(c) >= 0) {
        escaped.append('\\');
      }
      escaped.append(c);
    }
    return escaped.toString();
  }
}
