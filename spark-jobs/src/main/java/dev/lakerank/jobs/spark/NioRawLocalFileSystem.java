package dev.lakerank.jobs.spark;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;
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
 * <p>Only those two change: permissions with a sticky, setuid or setgid bit, and every symbolic
 * link, still go the way Hadoop goes.
 */
public class NioRawLocalFileSystem extends RawLocalFileSystem {
  private static final int PERMISSION_BITS = 0777;
  private static final PosixFilePermission[] BY_BIT = {
      PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
      PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
      PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ};

  @Override
  public void setPermission(Path p, FsPermission permission) throws IOException {
    short mode = permission.toShort();
    if ((mode & ~PERMISSION_BITS) != 0) {
      super.setPermission(p, permission);
      return;
    }
    try {
      Files.setPosixFilePermissions(pathToFile(p).toPath(), posix(mode));
    } catch (NoSuchFileException e) {
      throw new FileNotFoundException("File " + p + " does not exist");
    } catch (UnsupportedOperationException e) {
      // a file system without POSIX permissions
      super.setPermission(p, permission);
    }
  }

  /** The status of {@code f}; for anything but a symbolic link that is its {@link #getFileStatus}. */
  @Override
  public FileStatus getFileLinkStatus(Path f) throws IOException {
    if (Files.isSymbolicLink(pathToFile(f).toPath())) {
      return super.getFileLinkStatus(f);
    }
    return getFileStatus(f);
  }

  static Set<PosixFilePermission> posix(short mode) {
    Set<PosixFilePermission> permissions = EnumSet.noneOf(PosixFilePermission.class);
    for (int bit = 0; bit < BY_BIT.length; bit++) {
      if ((mode & (1 << bit)) != 0) {
        permissions.add(BY_BIT[bit]);
      }
    }
    return permissions;
  }
}
