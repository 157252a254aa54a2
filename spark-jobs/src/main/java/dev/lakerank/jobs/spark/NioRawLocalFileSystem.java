package dev.lakerank.jobs.spark;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.attribute.PosixFilePermissions;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.hadoop.fs.permission.FsPermission;

/**
 * Hadoop's raw local file system, minus the two programs it runs per file when Hadoop's native
 * library is not loaded (as with Spark from Maven): {@code chmod} after every file and directory it
 * creates, and {@code readlink} for every status FileContext asks before a rename. Spark's
 * streaming checkpoints and Delta's log rename every file they write, so a micro-batch started
 * about a hundred processes; here the JVM's own file API does the same work.
 *
 * <p>Only those two change: a permission with the sticky bit, and every symbolic link, still go the
 * way Hadoop goes.
 */
public class NioRawLocalFileSystem extends RawLocalFileSystem {
  @Override
  public void setPermission(Path p, FsPermission permission) throws IOException {
    if (permission.getStickyBit()) {
      super.setPermission(p, permission);
      return;
    }
    try {
      String text =
          permission.getUserAction().SYMBOL
              + permission.getGroupAction().SYMBOL
              + permission.getOtherAction().SYMBOL;
      Files.setPosixFilePermissions(pathToFile(p).toPath(), PosixFilePermissions.fromString(text));
    } catch (NoSuchFileException e) {
      throw new FileNotFoundException("File " + p + " does not exist");
    } catch (UnsupportedOperationException e) {
      // a file system without POSIX permissions
      super.setPermission(p, permission);
    }
  }

  /**
   * The status of {@code f}; for anything but a symbolic link that is its {@link #getFileStatus}.
   */
  @Override
  public FileStatus getFileLinkStatus(Path f) throws IOException {
    if (Files.isSymbolicLink(pathToFile(f).toPath())) {
      return super.getFileLinkStatus(f);
    }
    return getFileStatus(f);
  }
}
