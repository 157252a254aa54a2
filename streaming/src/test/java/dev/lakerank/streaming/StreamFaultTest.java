package dev.lakerank.streaming;

import static dev.lakerank.streaming.testing.StreamFixture.event;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lakerank.jobs.tables.BronzeTable;
import dev.lakerank.jobs.tables.FeatureTableColumns;
import dev.lakerank.jobs.tables.IngestMetadata;
import dev.lakerank.jobs.tables.PredictionLog;
import dev.lakerank.jobs.tables.QuarantineTable;
import dev.lakerank.jobs.tables.StreamBatches;
import dev.lakerank.jobs.tables.UserRealtimeFeatures;
import dev.lakerank.jobs.testing.CliRun;
import dev.lakerank.streaming.testing.KafkaHarness;
import dev.lakerank.streaming.testing.LastHour;
import dev.lakerank.streaming.testing.StreamFixture;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The streaming process ({@code lakerank stream all}: ingest, features and logs) killed with
 * SIGKILL in the middle of a micro-batch, after the ingest batch's first Delta write and before
 * Spark committed the batch to the checkpoint, then started again: nothing lost, nothing written
 * twice, in bronze, quarantine, the real-time features and the prediction log. The process is a
 * child JVM running the CLI, as a user runs it; the restart runs in this JVM.
 */
class StreamFaultTest {
  private static final Pattern TXN =
      Pattern.compile("\"txn\":\\{\"appId\":\"lakerank-(\\w+)-[^\"]+\",\"version\":(\\d+)");

  @TempDir Path temp;

  @Test
  void streamsKilledMidBatchLoseAndDoubleNothing() throws Exception {
    StreamFixture fixture = new StreamFixture(temp, 50, 50);
    Instant base = Instant.now().minus(Duration.ofMinutes(20)).truncatedTo(ChronoUnit.MILLIS);
    List<String> good = new ArrayList<>();
    List<String> messages = new ArrayList<>();
    int[] clicks = new int[51];
    int[] impressions = new int[51];
    for (int i = 0; i < 300; i++) {
      long user = 1 + i % 50;
      boolean click = i % 3 == 0;
      (click ? clicks : impressions)[(int) user]++;
      String id = "e" + i;
      good.add(id);
      // one time per message, in order: every user's latest event is its last message
      messages.add(
          event(id, user, 1 + i % 50, click ? "click" : "impression", base.plusMillis(i * 200L)));
      // a reject in every batch, so each ingest batch writes bronze, then quarantine, then the
      // dead-letter topic
      if (i % 20 == 0) {
        messages.add(event("bad" + i, 1, 1, "hover", base));
      }
    }
    KafkaHarness.sendEvents(fixture.events, messages);
    List<String> answers = answers(base);
    KafkaHarness.sendText(fixture.predictions, answers);

    Path checkpoints = Path.of(fixture.lakehouse.root(), "_checkpoints");
    Path bronzeLog =
        Path.of(fixture.lakehouse.location(BronzeTable.EVENTS.tableName()), "_delta_log");
    Process child = child(fixture);
    long killedIn;
    try {
      killedIn = killMidBatch(child, bronzeLog, checkpoints.resolve("ingest"));
    } finally {
      child.destroyForcibly();
    }
    Path featureBatches = checkpoints.resolve("features").resolve("commits");
    long featuresCommitted =
        Files.isDirectory(featureBatches)
            ? Files.list(featureBatches).filter(p -> !p.toString().endsWith(".crc")).count()
            : 0;

    // started again (in this JVM), over what the topics hold
    CliRun again =
        fixture.cli(
            "stream", "all", "--available-now", "--set", "stream.max-offsets-per-trigger=1000");
    assertThat(again.exitCode()).as(again.err()).isZero();

    String when =
        "killed in ingest batch "
            + killedIn
            + ", features had committed "
            + featuresCommitted
            + " batches";
    assertIngestedOnce(fixture, good, messages, when);

    // the last value of every user counts each of its events once (they all fall in one hour)
    LastHour.assertCounts(fixture, 50, impressions, clicks, when);
    assertThat(
            fixture
                .table(UserRealtimeFeatures.NAME)
                .groupBy(UserRealtimeFeatures.USER_ID, FeatureTableColumns.EVENT_TIMESTAMP)
                .count()
                .where("count > 1")
                .count())
        .as("no feature row written twice, " + when)
        .isZero();
    try (Stream<Path> outbox =
        Files.list(checkpoints.resolve("features").resolve("offline-outbox"))) {
      assertThat(outbox.filter(p -> !p.getFileName().toString().startsWith(".")))
          .as("the outbox is drained")
          .isEmpty();
    }

    // every answer of the prediction log once
    assertThat(fixture.table(PredictionLog.NAME).count()).as(when).isEqualTo(answers.size());
    assertThat(
            fixture.table(PredictionLog.NAME).select(PredictionLog.REQUEST_ID).distinct().count())
        .isEqualTo(answers.size());
  }

  /** The serving API's answers, one per message, all at {@code base}. */
  private static List<String> answers(Instant base) {
    List<String> answers = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      answers.add(
          "{\"request_id\":\"r"
              + i
              + "\",\"endpoint\":\"recommendations\",\"user_id\":"
              + (1 + i % 50)
              + ",\"items\":[1,2],\"scores\":[0.5,0.25],\"recommender\":\"recommender@1\",\"ranker\":\"ranker@1\",\"fallback\":false,"
              + "\"latency_micros\":900,\"created_at\":\""
              + base
              + "\"}");
    }
    return answers;
  }

  /** Every good event in bronze once, every reject in quarantine once, every batch recorded. */
  private static void assertIngestedOnce(
      StreamFixture fixture, List<String> good, List<String> messages, String when) {
    List<Row> bronze =
        fixture
            .table(BronzeTable.EVENTS.tableName())
            .select("event_id", IngestMetadata.SOURCE_FILE)
            .collectAsList();
    assertThat(bronze.stream().map(r -> r.getString(0)).toList())
        .as("every good event once, " + when)
        .containsExactlyInAnyOrderElementsOf(good);
    assertThat(new HashSet<>(bronze.stream().map(r -> r.getString(1)).toList()))
        .hasSize(good.size());
    long bad = messages.size() - good.size();
    assertThat(fixture.table(QuarantineTable.name(BronzeTable.EVENTS)).count())
        .as(when)
        .isEqualTo(bad);
    assertThat(
            fixture
                .table(QuarantineTable.name(BronzeTable.EVENTS))
                .select(IngestMetadata.SOURCE_FILE)
                .distinct()
                .count())
        .isEqualTo(bad);
    Row batches =
        fixture
            .table(StreamBatches.NAME)
            .where("query = 'ingest'")
            .selectExpr("sum(messages)", "count(*)", "count(DISTINCT batch_id)")
            .head();
    assertThat(batches.getLong(0)).as(when).isEqualTo(messages.size());
    assertThat(batches.getLong(1)).isEqualTo(batches.getLong(2));
  }

  /**
   * Kills {@code child} (SIGKILL) right after a micro-batch has written to {@code written} (a Delta
   * log) and before the checkpoint committed it. Returns the batch it was killed in.
   */
  private long killMidBatch(Process child, Path written, Path checkpoint) throws Exception {
    Instant deadline = Instant.now().plus(Duration.ofMinutes(3));
    while (Instant.now().isBefore(deadline) && child.isAlive()) {
      for (long batch : writtenBatches(written)) {
        if (batch >= 1
            && !Files.exists(checkpoint.resolve("commits").resolve(Long.toString(batch)))) {
          child.destroyForcibly();
          assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
          assertThat(Files.exists(checkpoint.resolve("commits").resolve(Long.toString(batch))))
              .as("batch %d was cut off before its commit", batch)
              .isFalse();
          return batch;
        }
      }
      java.util.concurrent.locks.LockSupport.parkNanos(2_000_000L);
    }
    throw new AssertionError(
        "no micro-batch was caught between its write and its commit; the child said:\n" + output());
  }

  /** Batches of the ingest query that have committed to a Delta log (their txn). */
  private static List<Long> writtenBatches(Path log) throws IOException {
    if (!Files.isDirectory(log)) {
      return List.of();
    }
    List<Long> batches = new ArrayList<>();
    try (Stream<Path> files = Files.list(log)) {
      for (Path file : files.toList()) {
        String name = file.getFileName().toString();
        if (name.endsWith(".json") && !name.startsWith(".")) {
          Matcher txn = TXN.matcher(readQuietly(file));
          if (txn.find()) {
            batches.add(Long.parseLong(txn.group(2)));
          }
        }
      }
    }
    return batches;
  }

  private static String readQuietly(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      // being written: the next look sees it whole
      return "";
    }
  }

  /**
   * {@code lakerank stream all} in a new JVM with this JVM's classpath and flags; small batches.
   */
  private Process child(StreamFixture fixture) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(
        ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
            .filter(
                a ->
                    a.startsWith("--add-")
                        || a.startsWith("-D")
                        || a.startsWith("-XX:+Ignore")
                        || a.startsWith("--enable-native"))
            .toList());
    command.add("-Xmx1g");
    command.add("-Duser.timezone=UTC");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add("dev.lakerank.jobs.cli.Main");
    command.add("stream");
    command.add("all");
    command.addAll(fixture.flags());
    command.addAll(List.of("--master", "local[2]", "--set", "stream.max-offsets-per-trigger=40"));
    Path log = temp.resolve("child-" + System.nanoTime() + ".log");
    return new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .start();
  }

  private String output() {
    try (Stream<Path> logs = Files.list(temp)) {
      StringBuilder text = new StringBuilder();
      for (Path log : logs.filter(p -> p.toString().endsWith(".log")).toList()) {
        text.append(log.getFileName()).append(":\n").append(Files.readString(log));
      }
      return text.toString();
    } catch (IOException e) {
      return "(no output: " + e.getMessage() + ")";
    }
  }
}
