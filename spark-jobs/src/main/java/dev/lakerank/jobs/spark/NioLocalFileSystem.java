package dev.lakerank.jobs.spark;

import org.apache.hadoop.fs.LocalFileSystem;

/**
 * {@code file:} for Hadoop's FileSystem API ({@code fs.file.impl}): Hadoop's checksummed local file
 * system over {@link NioRawLocalFileSystem}.
 */
public class NioLocalFileSystem extends LocalFileSystem {
  public NioLocalFileSystem() {
    super(new NioRawLocalFileSystem());
  }
}
