package dev.lakerank.streaming.testing;

import dev.lakerank.jobs.catalog.Lakehouse;
import dev.lakerank.jobs.tables.BronzeTable;
import dev.lakerank.jobs.tables.RowOrigin;
import dev.lakerank.jobs.tables.SilverItems;
import dev.lakerank.jobs.tables.SilverUsers;
import dev.lakerank.jobs.testing.CliRun;
import dev.lakerank.jobs.testing.SharedSpark;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

/**
 * A lakehouse for streaming tests: users 1..users and items 1..items in silver (with empty bronze
 * user and item tables, so the known-id rules are on, as for a data set with those sources), item
 * {@code i} in category {@code c<i % 5>}, the project's feature repository with its data (registry,
 * SQLite online store) under the temporary directory, and topics of its own on the test broker.
 */
public final class StreamFixture {
  public final Path root;
  public final Lakehouse lakehouse;
  public final String events;
  public final String deadLetters;
  public final String predictions;
  public final String feedback;

  public StreamFixture(Path root, int users, int items) {
    this.root = root;
    SparkSession spark = SharedSpark.session();
    this.lakehouse = new Lakehouse(spark, root.resolve("lakehouse").toString());
    this.events = KafkaHarness.newTopic("events", 2);
    this.deadLetters = KafkaHarness.newTopic("dead", 1);
    this.predictions = KafkaHarness.newTopic("predictions", 1);
    this.feedback = KafkaHarness.newTopic("feedback", 1);
    Timestamp now = Timestamp.from(Instant.now());
    Timestamp longAgo = Timestamp.from(Instant.parse("2020-01-01T00:00:00Z"));
    List<Row> userRows = new ArrayList<>();
    for (long u = 1; u <= users; u++) {
      userRows.add(
          RowFactory.create(u, longAgo, "de", "25-34", RowOrigin.SOURCE.value(), now, "test"));
    }
    List<Row> itemRows = new ArrayList<>();
    for (long i = 1; i <= items; i++) {
      itemRows.add(
          RowFactory.create(i, category(i), 10.0, longAgo, RowOrigin.SOURCE.value(), now, "test"));
    }
    lakehouse.createIfNotExists(BronzeTable.USERS.definition());
    lakehouse.createIfNotExists(BronzeTable.ITEMS.definition());
    spark
        .createDataFrame(userRows, SilverUsers.SCHEMA)
        .write()
        .format("delta")
        .mode(SaveMode.Overwrite)
        .save(lakehouse.location(SilverUsers.NAME));
    spark
        .createDataFrame(itemRows, SilverItems.SCHEMA)
        .write()
        .format("delta")
        .mode(SaveMode.Overwrite)
        .save(lakehouse.location(SilverItems.NAME));
  }

  /** The category of item {@code i}. */
  public static String category(long item) {
    return "c" + (item % 5);
  }

  /** The settings of this fixture, as CLI flags. */
  public List<String> flags() {
    return List.of(
        "--lakehouse", lakehouse.root(),
        "--feature-repo", Path.of("..", "feature-repo").toAbsolutePath().normalize().toString(),
        "--set", "features.data-root=" + root.resolve("features"),
        "--set", "kafka.bootstrap-servers=" + KafkaHarness.bootstrapServers(),
        "--set", "stream.events-topic=" + events,
        "--set", "stream.dead-letter-topic=" + deadLetters,
        "--set", "stream.predictions-topic=" + predictions,
        "--set", "stream.feedback-topic=" + feedback,
        "--set", "stream.ingest-trigger=0s",
        "--set", "stream.logs-trigger=0s",
        "--progress", "never");
  }

  /** The configuration the CLI would build with {@link #flags}, for running jobs directly. */
  public dev.lakerank.jobs.config.LakerankConfig config() {
    Map<String, String> settings = new java.util.LinkedHashMap<>();
    List<String> flags = flags();
    for (int i = 0; i < flags.size(); i += 2) {
      switch (flags.get(i)) {
        case "--lakehouse" -> settings.put("lakehouse.root", flags.get(i + 1));
        case "--feature-repo" -> settings.put("features.repo", flags.get(i + 1));
        case "--progress" -> settings.put("output.progress", flags.get(i + 1));
        default -> {
          String[] pair = flags.get(i + 1).split("=", 2);
          settings.put(pair[0], pair[1]);
        }
      }
    }
    return dev.lakerank.jobs.config.ConfigLoader.load(
        java.util.Optional.empty(), Map.of(), settings);
  }

  /** Runs the CLI in this JVM with {@code args} and this fixture's settings. */
  public CliRun cli(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(flags());
    CliRun run = CliRun.run(Map.of(), all.toArray(String[]::new));
    freshReads();
    return run;
  }

  /**
   * A table as it is now. The streams let Delta read snapshots up to a minute old; tests read the
   * latest.
   */
  public Dataset<Row> table(dev.lakerank.jobs.catalog.TableName name) {
    freshReads();
    return lakehouse.read(name);
  }

  private static void freshReads() {
    SharedSpark.session().conf().set("spark.databricks.delta.stalenessLimit", "0");
  }

  /** One event as the events log holds it. */
  public static String event(String id, long user, long item, String type, Instant time) {
    return "{\"event_id\":\""
        + id
        + "\",\"user_id\":"
        + user
        + ",\"item_id\":"
        + item
        + ",\"event_type\":\""
        + type
        + "\",\"event_time\":\""
        + time
        + "\",\"device\":\"mobile\",\"session_id\":\"s"
        + user
        + "\"}";
  }
}
