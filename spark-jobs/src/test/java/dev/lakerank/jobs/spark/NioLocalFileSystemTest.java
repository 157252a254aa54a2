package dev.lakerank.jobs.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.lakerank.jobs.config.ConfigLoader;
import dev.lakerank.jobs.config.LakerankConfig.SparkSettings;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.CreateFlag;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.FileContext;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Options;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.local.LocalFs;
import org.apache.hadoop.fs.permission.FsPermission;
import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NioLocalFileSystemTest {
  private static final SparkSettings SETTINGS =
      ConfigLoader.load(Optional.empty(), Map.of(), Map.of()).spark();

  @TempDir java.nio.file.Path directory;

  private static Configuration conf(boolean nio) {
    Configuration conf = new Configuration(false);
    if (nio) {
      conf.set("fs.file.impl", NioLocalFileSystem.class.getName());
      conf.set("fs.AbstractFileSystem.file.impl", NioLocalFs.class.getName());
    } else {
      conf.set("fs.file.impl", LocalFileSystem.class.getName());
      conf.set("fs.AbstractFileSystem.file.impl", LocalFs.class.getName());
    }
    conf.set("fs.permissions.umask-mode", "022");
    return conf;
  }

  private Path path(String name) {
    return new Path(directory.resolve(name).toUri());
  }

  private static String posix(java.nio.file.Path path) throws IOException {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
  }

  @Test
  void writesFilesAndDirectoriesWithHadoopsPermissionsAndChecksums() throws IOException {
    try (FileSystem fs = FileSystem.newInstance(URI.create("file:///"), conf(true))) {
      assertThat(fs).isInstanceOf(NioLocalFileSystem.class);
      try (FSDataOutputStream out = fs.create(path("a/b/part-0.parquet"))) {
        out.write("rows".getBytes(StandardCharsets.UTF_8));
      }
      assertThat(posix(directory.resolve("a/b/part-0.parquet"))).isEqualTo("rw-r--r--");
      assertThat(posix(directory.resolve("a/b"))).isEqualTo("rwxr-xr-x");
      assertThat(directory.resolve("a/b/.part-0.parquet.crc")).exists();

      fs.setPermission(path("a/b/part-0.parquet"), new FsPermission((short) 0640));
      assertThat(posix(directory.resolve("a/b/part-0.parquet"))).isEqualTo("rw-r-----");
      FileStatus status = fs.getFileStatus(path("a/b/part-0.parquet"));
      assertThat(status.getLen()).isEqualTo(4);
      assertThat(status.getPermission()).isEqualTo(new FsPermission((short) 0640));

      fs.mkdirs(path("shared"));
      fs.setPermission(path("shared"), new FsPermission((short) 01777));
      assertThat(fs.getFileStatus(path("shared")).getPermission())
          .as("the sticky bit, through chmod")
          .isEqualTo(new FsPermission((short) 01777));
      assertThatThrownBy(() -> fs.setPermission(path("missing"), new FsPermission((short) 0644)))
          .isInstanceOf(FileNotFoundException.class)
          .hasMessageContaining("missing");
    }
  }

  @Test
  void renamesAsFileContextDoesWithoutOverwritingAndLeavesSymlinksToHadoop() throws IOException {
    FileContext fc = FileContext.getFileContext(URI.create("file:///"), conf(true));
    for (String name : new String[] {"0.tmp", "1.tmp"}) {
      try (FSDataOutputStream out =
          fc.create(path(name), EnumSet.of(CreateFlag.CREATE), Options.CreateOpts.createParent())) {
        out.write(name.getBytes(StandardCharsets.UTF_8));
      }
    }
    assertThat(posix(directory.resolve("0.tmp"))).isEqualTo("rw-r--r--");
    fc.rename(path("0.tmp"), path("0"), Options.Rename.NONE);
    assertThat(directory.resolve("0")).hasContent("0.tmp");
    assertThat(directory.resolve(".0.crc")).exists();
    assertThat(directory.resolve("0.tmp")).doesNotExist();
    // a checkpoint's batch is written once: a second writer's rename fails
    assertThatThrownBy(() -> fc.rename(path("1.tmp"), path("0"), Options.Rename.NONE))
        .isInstanceOf(FileAlreadyExistsException.class);
    assertThat(directory.resolve("0")).hasContent("0.tmp");
    fc.rename(path("1.tmp"), path("0"), Options.Rename.OVERWRITE);
    assertThat(directory.resolve("0")).hasContent("1.tmp");

    Files.createSymbolicLink(directory.resolve("link"), directory.resolve("0"));
    // a symbolic link is left to Hadoop's own code (which, given a file: URI, does not see the
    // link)
    FileStatus link = fc.getFileLinkStatus(path("link"));
    FileStatus hadoops =
        FileContext.getFileContext(URI.create("file:///"), conf(false))
            .getFileLinkStatus(path("link"));
    assertThat(link.isSymlink()).isEqualTo(hadoops.isSymlink());
    assertThat(link.getLen()).isEqualTo(hadoops.getLen());
    assertThat(link.getPath()).isEqualTo(hadoops.getPath());
    assertThat(fc.getFileStatus(path("link")).getLen())
        .as("the status of what the link points to")
        .isEqualTo(5);
    assertThat(fc.getFileLinkStatus(path("0")).isSymlink()).isFalse();
    assertThatThrownBy(() -> fc.getFileLinkStatus(path("missing")))
        .isInstanceOf(FileNotFoundException.class);
  }

  /**
   * Counts the processes the machine started (Linux's {@code /proc/stat}) while files are written
   * and renamed as Spark's checkpoints are: Hadoop's own local file system starts several per file,
   * this one none. Other processes of the machine add a few to both counts.
   */
  @Test
  void writesAndRenamesWithoutStartingProcesses() throws IOException {
    java.nio.file.Path stat = java.nio.file.Path.of("/proc/stat");
    assumeTrue(Files.isReadable(stat), "counts processes through Linux's /proc/stat");
    int files = 50;
    long hadoops = processesStarted(stat, () -> checkpointFiles(conf(false), "hadoop", files));
    long ours = processesStarted(stat, () -> checkpointFiles(conf(true), "nio", files));
    assertThat(hadoops)
        .as("processes Hadoop's local file system started for %d files", files)
        .isGreaterThanOrEqualTo(2L * files);
    assertThat(ours)
        .as("processes started for %d files (Hadoop's own: %d)", files, hadoops)
        .isLessThan(files / 5);
  }

  private interface Work {
    void run() throws IOException;
  }

  private static long processesStarted(java.nio.file.Path stat, Work work) throws IOException {
    long before = processes(stat);
    work.run();
    return processes(stat) - before;
  }

  private static long processes(java.nio.file.Path stat) throws IOException {
    return Files.readAllLines(stat).stream()
        .filter(line -> line.startsWith("processes "))
        .mapToLong(line -> Long.parseLong(line.substring("processes ".length()).trim()))
        .findFirst()
        .orElseThrow();
  }

  private void checkpointFiles(Configuration conf, String name, int files) throws IOException {
    FileContext fc = FileContext.getFileContext(URI.create("file:///"), conf);
    Path dir = path(name);
    fc.mkdir(dir, FsPermission.getDirDefault(), true);
    for (int i = 0; i < files; i++) {
      Path temp = new Path(dir, "." + i + ".tmp");
      try (FSDataOutputStream out = fc.create(temp, EnumSet.of(CreateFlag.CREATE))) {
        out.write(("batch " + i).getBytes(StandardCharsets.UTF_8));
      }
      fc.rename(temp, new Path(dir, Integer.toString(i)), Options.Rename.NONE);
    }
  }

  @Test
  void sparkSessionsUseItForFileInLocalModeUnlessConfigured() {
    SparkConf conf = new SparkConf(false).set("spark.master", "local[1]");
    SparkSessions.configure(conf, SETTINGS);
    assertThat(conf.get(SparkSessions.LOCAL_FILE_SYSTEM))
        .isEqualTo(NioLocalFileSystem.class.getName());
    assertThat(conf.get(SparkSessions.LOCAL_FILE_CONTEXT)).isEqualTo(NioLocalFs.class.getName());

    SparkConf own =
        new SparkConf(false)
            .set("spark.master", "local[1]")
            .set(SparkSessions.LOCAL_FILE_SYSTEM, LocalFileSystem.class.getName());
    SparkSessions.configure(own, SETTINGS);
    assertThat(own.get(SparkSessions.LOCAL_FILE_SYSTEM)).isEqualTo(LocalFileSystem.class.getName());

    SparkConf cluster = new SparkConf(false).set("spark.master", "yarn");
    SparkSessions.configure(cluster, SETTINGS);
    assertThat(cluster.contains(SparkSessions.LOCAL_FILE_SYSTEM))
        .as("on a cluster, Hadoop's own")
        .isFalse();
  }
}
