package dev.lakerank.jobs.transform;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lakerank.jobs.Reporter;
import dev.lakerank.jobs.catalog.Lakehouse;
import dev.lakerank.jobs.ingest.IngestJob;
import dev.lakerank.jobs.ingest.IngestRequest;
import dev.lakerank.jobs.tables.BronzeTable;
import dev.lakerank.jobs.tables.QuarantineTable;
import dev.lakerank.jobs.tables.RowOrigin;
import dev.lakerank.jobs.tables.SilverInteractions;
import dev.lakerank.jobs.tables.SilverUsers;
import dev.lakerank.jobs.tables.TransformRuns;
import dev.lakerank.jobs.testing.SharedSpark;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TransformJobTest {
  static final Clock CLOCK = Clock.fixed(Instant.parse("2026-02-01T00:00:00Z"), ZoneOffset.UTC);

  @TempDir Path directory;
  Lakehouse lakehouse;
  IngestJob ingest;
  TransformJob transform;

  @BeforeEach
  void setUp() throws IOException {
    lakehouse = new Lakehouse(SharedSpark.session(), directory.resolve("lakehouse").toString());
    ingest = new IngestJob(lakehouse, CLOCK, Reporter.SILENT);
    transform = new TransformJob(lakehouse, CLOCK, Duration.ofMinutes(5), Reporter.SILENT);
    write(
        "raw/users/users.csv",
        "user_id,signup_time,country,age_band",
        "1,2025-01-01T00:00:00Z,US,25-34",
        "2,2025-02-01T00:00:00Z,DE,35-44",
        "user-3,2025-01-01T00:00:00Z,FR,18-24");
    write(
        "raw/items/items.csv",
        "item_id,category,price,created_time",
        "10,books,12.50,2025-01-01T00:00:00Z",
        "11,toys,-1,2025-01-01T00:00:00Z",
        "11,toys,3.99,2025-01-01T00:00:00Z");
    write(
        "raw/events/day1.jsonl",
        event("e1", 1, 10, "impression"),
        event("e2", 1, 10, "click"),
        event("e2", 1, 10, "click"),
        event("e3", 2, 11, "impression"),
        event("e4", 99, 10, "impression"),
        event("e5", 2, 10, "hover"),
        "{\"event_id\":\"e6\",\"user_");
    for (String source : List.of("users", "items", "events")) {
      ingest.run(IngestRequest.of(List.of(directory.resolve("raw").resolve(source).toString())));
    }
  }

  @Test
  void accountsForEveryBronzeRow() {
    TransformSummary summary = transform.run(false);

    Reconciliation events = find(summary, BronzeTable.EVENTS);
    assertThat(events.bronzeRows()).isEqualTo(7);
    assertThat(events.inserted()).isEqualTo(3);
    assertThat(events.duplicates()).isEqualTo(1);
    assertThat(events.quarantined()).isEqualTo(3);
    assertThat(events.balances()).isTrue();
    assertThat(events.ruleCounts())
        .containsEntry("known:user_id", 1L)
        .containsEntry("allowed:event_type", 1L)
        .containsEntry("malformed_record", 1L);

    Reconciliation users = find(summary, BronzeTable.USERS);
    assertThat(users.inserted()).isEqualTo(2);
    assertThat(users.quarantined()).isEqualTo(1);
    Reconciliation items = find(summary, BronzeTable.ITEMS);
    assertThat(items.inserted()).isEqualTo(2);
    assertThat(items.quarantined()).isEqualTo(1);
    assertThat(items.ruleCounts()).containsEntry("range:price", 1L);

    assertThat(lakehouse.read(SilverInteractions.NAME).count()).isEqualTo(3);
    assertThat(lakehouse.read(QuarantineTable.name(BronzeTable.EVENTS)).count()).isEqualTo(3);
    Row unknown =
        lakehouse
            .read(QuarantineTable.name(BronzeTable.EVENTS))
            .where(col("event_id").equalTo("e4"))
            .head();
    assertThat(unknown.<String>getAs(QuarantineTable.REASON))
        .isEqualTo("user_id 99 is not in silver.users");
    assertThat(unknown.<String>getAs(QuarantineTable.TRANSFORM_RUN_ID)).isEqualTo(summary.runId());
    assertThat(lakehouse.read(TransformRuns.NAME).count()).isEqualTo(3);
  }

  @Test
  void readsOnlyWhatArrivedSinceTheLastRun() throws IOException {
    transform.run(false);
    assertThat(transform.run(false).tables()).isEmpty();

    write("raw/events/day2.jsonl", event("e1", 1, 10, "impression"), event("e7", 2, 10, "click"));
    ingest.run(IngestRequest.of(List.of(directory.resolve("raw/events").toString())));
    TransformSummary second = transform.run(false);

    Reconciliation events = find(second, BronzeTable.EVENTS);
    assertThat(events.bronzeRows()).isEqualTo(2);
    assertThat(events.inserted()).isEqualTo(1);
    assertThat(events.duplicates()).isEqualTo(1);
    assertThat(second.tables()).hasSize(1);
    assertThat(lakehouse.read(SilverInteractions.NAME).count()).isEqualTo(4);
  }

  @Test
  void updatesAUserWhenANewerRecordArrives() throws IOException {
    transform.run(false);
    write(
        "raw/users/users-2.csv",
        "user_id,signup_time,country,age_band",
        "1,2025-01-01T00:00:00Z,GB,25-34");
    ingest.run(IngestRequest.of(List.of(directory.resolve("raw/users").toString())));

    Reconciliation users = find(transform.run(false), BronzeTable.USERS);

    assertThat(users.updated()).isEqualTo(1);
    assertThat(users.inserted()).isZero();
    assertThat(
            lakehouse
                .read(SilverUsers.NAME)
                .where(col("user_id").equalTo(1))
                .head()
                .<String>getAs("country"))
        .isEqualTo("GB");
  }

  @Test
  void aRunRepeatedAfterACrashChangesNothing() {
    transform.run(false);
    long silver = lakehouse.read(SilverInteractions.NAME).count();
    long quarantined = lakehouse.read(QuarantineTable.name(BronzeTable.EVENTS)).count();
    // the crash: the run wrote silver and quarantine but not its record
    lakehouse.delta(TransformRuns.NAME).delete();

    Reconciliation again = find(transform.run(false), BronzeTable.EVENTS);

    assertThat(lakehouse.read(SilverInteractions.NAME).count()).isEqualTo(silver);
    assertThat(lakehouse.read(QuarantineTable.name(BronzeTable.EVENTS)).count())
        .isEqualTo(quarantined);
    assertThat(again.inserted()).isZero();
    assertThat(again.duplicates()).isEqualTo(4);
    assertThat(again.balances()).isTrue();
  }

  @Test
  void finishesACrashedRunBeforeWhatArrivedAfterIt() throws IOException {
    transform.run(false);
    long bronzeVersion = lakehouse.version(BronzeTable.EVENTS.tableName());
    // the crash: silver and quarantine written, the run record not; then more events arrive
    lakehouse.delta(TransformRuns.NAME).delete();
    write("raw/events/day2.jsonl", event("e7", 2, 10, "click"), event("e8", 1, 12345, "click"));
    ingest.run(IngestRequest.of(List.of(directory.resolve("raw/events").toString())));

    List<Reconciliation> events =
        transform.run(false).tables().stream()
            .filter(t -> t.table() == BronzeTable.EVENTS)
            .toList();

    assertThat(events)
        .extracting(Reconciliation::toVersion)
        .containsExactly(bronzeVersion, lakehouse.version(BronzeTable.EVENTS.tableName()));
    assertThat(events).allMatch(Reconciliation::balances);
    assertThat(events.get(0).quarantined()).isEqualTo(3);
    assertThat(events.get(1).quarantined()).isEqualTo(1);
    assertThat(events.get(1).inserted()).isEqualTo(1);
    // the three rejects of the first file are in quarantine once, not twice
    assertThat(lakehouse.read(QuarantineTable.name(BronzeTable.EVENTS)).count()).isEqualTo(4);
    assertThat(lakehouse.read(SilverInteractions.NAME).count()).isEqualTo(4);
  }

  @Test
  void derivesUsersAndItemsWhenTheDataSetHasNone() throws IOException {
    Lakehouse movies = new Lakehouse(SharedSpark.session(), directory.resolve("movies").toString());
    Path ratings =
        write(
            "ml-100k/u.data",
            "196\t242\t3\t881250949",
            "186\t302\t3\t891717742",
            "196\t302\t5\t881250990");
    new IngestJob(movies, CLOCK, Reporter.SILENT)
        .run(IngestRequest.of(List.of(ratings.toString())));

    Reconciliation events =
        find(
            new TransformJob(movies, CLOCK, Duration.ofMinutes(5), Reporter.SILENT).run(false),
            BronzeTable.EVENTS);

    assertThat(events.inserted()).isEqualTo(3);
    assertThat(events.derived()).isEqualTo(4);
    Row user = movies.read(SilverUsers.NAME).where(col("user_id").equalTo(196)).head();
    assertThat(user.<String>getAs(SilverUsers.ORIGIN)).isEqualTo(RowOrigin.DERIVED.value());
    assertThat(user.<java.sql.Timestamp>getAs(SilverUsers.SIGNUP_TIME).toInstant())
        .isEqualTo(Instant.ofEpochSecond(881250949));
  }

  private static Reconciliation find(TransformSummary summary, BronzeTable table) {
    return summary.tables().stream().filter(t -> t.table() == table).findFirst().orElseThrow();
  }

  private static String event(String id, long user, long item, String type) {
    return "{\"event_id\":\""
        + id
        + "\",\"user_id\":"
        + user
        + ",\"item_id\":"
        + item
        + ",\"event_type\":\""
        + type
        + "\",\"event_time\":\"2026-01-15T10:00:00Z\",\"device\":\"mobile\"}";
  }

  private Path write(String relative, String... lines) throws IOException {
    Path file = directory.resolve(relative);
    Files.createDirectories(file.getParent());
    Files.writeString(file, String.join("\n", lines) + "\n");
    return file;
  }
}
