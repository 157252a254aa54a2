package dev.lakerank.tests;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher a user runs, {@code bin/lakerank}, with the packaged jobs jar: a new JVM, Spark on
 * the classpath, quiet logs.
 */
class LauncherIT {
  static final Path ROOT = Path.of(System.getProperty("lakerank.projectRoot", "..")).toAbsolutePath().normalize();

  @TempDir Path work;

  @Test
  void printsItsVersion() throws Exception {
    Result version = launch("--version");
    assertThat(version.code).as(version.err).isZero();
    assertThat(version.out).startsWith("lakerank 0.1.0-SNAPSHOT, Spark 4.1.0");
  }

  @Test
  void runsThePipelineAndAnswersSqlWithQuietLogs() throws Exception {
    Result pipeline =
        launch("pipeline", "run", "--events", "3000", "--users", "100", "--items", "60", "--days", "5",
            "--lakehouse", work.resolve("lakehouse").toString(), "--raw", work.resolve("raw").toString(),
            "--registry", work.resolve("registry").toString(), "--set", "reports.root=" + work.resolve("reports"),
            "--training", "quick");
    assertThat(pipeline.code).as(pipeline.err).isZero();
    assertThat(pipeline.out).contains("training-set").contains("gold.ranker_training_set")
        .contains("recommender v1 (als): champion").contains("ranker v1 (gbt): champion");
    // logs are quiet: the step lines, and nothing from Spark, Hadoop or Delta at INFO or WARN
    List<String> noise =
        pipeline.err.lines()
            .filter(line -> !line.startsWith("["))
            .filter(line -> !line.startsWith("         "))
            .filter(line -> !line.equals("WARNING: Using incubator modules: jdk.incubator.vector"))
            .toList();
    assertThat(noise).isEmpty();

    Result sql =
        launch("sql", "SELECT count(*) AS n FROM silver.users", "--format", "csv", "--lakehouse", work.resolve("lakehouse").toString());
    assertThat(sql.code).as(sql.err).isZero();
    assertThat(sql.out).isEqualTo("n\n100\n");
  }

  @Test
  void failsWithAMessageOnBadInput() throws Exception {
    Result result = launch("ingest", work.resolve("nothing-here").toString(), "--lakehouse", work.resolve("lh").toString());
    assertThat(result.code).isEqualTo(1);
    assertThat(result.err).contains("error: source ").contains("does not exist");
  }

  private record Result(int code, String out, String err) {}

  private Result launch(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(ROOT.resolve("bin/lakerank").toString());
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).directory(work.toFile());
    // never start a nested Maven build from a test: the reactor has just packaged the jar
    builder.environment().put("LAKERANK_SKIP_BUILD", "1");
    builder.environment().put("LAKERANK_DRIVER_MEMORY", "2g");
    Path out = work.resolve("out.txt");
    Path err = work.resolve("err.txt");
    builder.redirectOutput(out.toFile()).redirectError(err.toFile());
    Process process = builder.start();
    if (!process.waitFor(5, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      throw new AssertionError("bin/lakerank " + String.join(" ", args) + " did not finish in 5 minutes");
    }
    return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
  }
}
