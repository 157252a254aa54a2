package dev.lakerank.jobs.ingest;

import dev.lakerank.jobs.JobErrors;
import dev.lakerank.jobs.LakerankException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;

/**
 * The data files under the sources given to ingest: files, or directories read recursively without
 * the {@code _} and {@code .} files writers leave, each named by one canonical URI.
 */
final class SourceListing {
  private final Configuration hadoop;

  SourceListing(Configuration hadoop) {
    this.hadoop = hadoop;
  }

  /**
   * The files, sorted by URI.
   *
   * @throws LakerankException when a source does not exist or holds no files
   */
  List<SourceFile> list(List<String> sources) {
    List<SourceFile> files = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (String source : sources) {
      Path path = new Path(source);
      try {
        FileSystem fs = path.getFileSystem(hadoop);
        if (!fs.exists(path)) {
          throw JobErrors.notFound("source " + source + " does not exist; check the path");
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
      throw JobErrors.notFound("no files under " + String.join(", ", sources) + "; check the path");
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

  /** The last part of a file's URI. */
  static String fileName(String uri) {
    return new Path(uri).getName();
  }
}
