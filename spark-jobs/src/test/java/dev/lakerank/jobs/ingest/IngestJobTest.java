package dev.lakerank.jobs.ingest;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lakerank.jobs.LakerankException;
import dev.lakerank.jobs.Reporter;
import dev.lakerank.jobs.catalog.Lakehouse;
import dev.lakerank.jobs.tables.BronzeTable;
import dev.lakerank.jobs.tables.IngestMetadata;
import dev.lakerank.jobs.testing.SharedSpark;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IngestJobTest {
  static final Clock CLOCK = Clock.fixed(Instant.parse("2026-06-01T12:00:00Z"), ZoneOffset.UTC);

  @TempDir Path directory;
  Lakehouse lakehouse;
  IngestJob job;

  @BeforeEach
  void setUp() {
    lakehouse = new Lakehouse(SharedSpark.session(), directory.resolve("lakehouse").toString());
    job = new IngestJob(lakehouse, CLOCK, Reporter.SILENT);
  }

  @Test
  void keepsEveryJsonFieldAsTextWithIngestMetadata() throws IOException {
    Path events =
        write(
            "raw/events/day1.jsonl",
            "{\"event_id\":\"e1\",\"user_id\":7,\"item_id\":3,\"event_type\":\"click\",\"event_time\":\"2026-01-01T10:00:00Z\",\"dwell_ms\":1200}",
            "{\"event_id\":\"e2\",\"user_id\":\"u8\",\"item_id\":4,\"event_type\":\"impression\",\"event_time\":\"2026-01-01T10:01:00Z\"}");

    IngestSummary summary = job.run(IngestRequest.of(List.of(events.getParent().toString())));

    assertThat(summary.table()).isEqualTo(BronzeTable.EVENTS);
    assertThat(summary.format()).isEqualTo(SourceFormat.JSON);
    assertThat(summary.rows()).isEqualTo(2);
    List<Row> rows =
        lakehouse.read(BronzeTable.EVENTS.tableName()).orderBy("event_id").collectAsList();
    assertThat(rows.get(0).<String>getAs("user_id")).isEqualTo("7");
    assertThat(rows.get(0).<String>getAs("dwell_ms")).isEqualTo("1200");
    assertThat(rows.get(1).<String>getAs("user_id")).isEqualTo("u8");
    assertThat(rows.get(1).<String>getAs("dwell_ms")).isNull();
    assertThat(rows.get(0).<String>getAs(IngestMetadata.SOURCE_FILE))
        .endsWith("raw/events/day1.jsonl");
    assertThat(rows.get(0).<String>getAs(IngestMetadata.BATCH_ID))
        .isEqualTo(summary.batchId())
        .startsWith("20260601T120000Z-");
    assertThat(rows.get(0).<java.sql.Timestamp>getAs(IngestMetadata.INGEST_TIME).toInstant())
        .isEqualTo(CLOCK.instant());
    assertThat(rows.get(0).<Long>getAs(IngestMetadata.SOURCE_SIZE)).isEqualTo(Files.size(events));
  }

  @Test
  void keepsALineThatIsNotJsonWhole() throws IOException {
    Path events =
        write(
            "raw/events/day1.jsonl",
            "{\"event_id\":\"e1\",\"user_id\":7,\"item_id\":3,\"event_type\":\"click\",\"event_time\":\"2026-01-01T10:00:00Z\"}",
            "{\"event_id\":\"e2\",\"user_id\":8,\"ite");

    IngestSummary summary = job.run(IngestRequest.of(List.of(events.toString())));

    assertThat(summary.rows()).isEqualTo(2);
    assertThat(summary.corruptRows()).isEqualTo(1);
    Row corrupt =
        lakehouse
            .read(BronzeTable.EVENTS.tableName())
            .where(col(IngestMetadata.CORRUPT_RECORD).isNotNull())
            .head();
    assertThat(corrupt.<String>getAs(IngestMetadata.CORRUPT_RECORD))
        .isEqualTo("{\"event_id\":\"e2\",\"user_id\":8,\"ite");
  }

  @Test
  void ingestingTheSameFilesAgainAddsNothing() throws IOException {
    Path first = write("raw/events/a.jsonl", event("e1"), event("e2"));
    String source = first.getParent().toString();
    IngestSummary once = job.run(IngestRequest.of(List.of(source)));
    IngestSummary twice = job.run(IngestRequest.of(List.of(source)));

    assertThat(once.rows()).isEqualTo(2);
    assertThat(twice.rows()).isZero();
    assertThat(twice.filesSkipped()).isEqualTo(1);
    assertThat(twice.batchId()).isNull();
    assertThat(twice.bronzeVersion()).isEqualTo(once.bronzeVersion());
    assertThat(lakehouse.read(BronzeTable.EVENTS.tableName()).count()).isEqualTo(2);

    write("raw/events/b.jsonl", event("e3"));
    IngestSummary third = job.run(IngestRequest.of(List.of(source)));
    assertThat(third.filesRead()).isEqualTo(1);
    assertThat(third.filesSkipped()).isEqualTo(1);
    assertThat(lakehouse.read(BronzeTable.EVENTS.tableName()).count()).isEqualTo(3);
  }

  @Test
  void readsFilesWhoseNamesHaveSpacesPercentSignsAndGlobCharacters() throws IOException {
    write("raw/events/day 1 [late] {v2} 100%.jsonl", event("e1"), event("e2"));
    write("raw/events/day 1.jsonl", event("e3"));
    String source = directory.resolve("raw/events").toString();

    IngestSummary once = job.run(IngestRequest.of(List.of(source)));
    IngestSummary twice = job.run(IngestRequest.of(List.of(source)));

    assertThat(once.rows()).isEqualTo(3);
    assertThat(twice.rows()).isZero();
    assertThat(twice.filesSkipped()).isEqualTo(2);
    String recorded =
        lakehouse
            .read(BronzeTable.EVENTS.tableName())
            .where(col("event_id").equalTo("e1"))
            .head()
            .getAs(IngestMetadata.SOURCE_FILE);
    assertThat(java.net.URI.create(recorded).getPath()).endsWith("/day 1 [late] {v2} 100%.jsonl");
  }

  @Test
  void refusesAFileThatChangedSinceItWasIngestedUnlessAllowed() throws IOException {
    Path file = write("raw/events/a.jsonl", event("e1"));
    job.run(IngestRequest.of(List.of(file.toString())));
    Files.writeString(file, event("e1") + "\n" + event("e2") + "\n");
    Files.setLastModifiedTime(file, FileTime.from(Instant.parse("2026-06-02T00:00:00Z")));

    assertThatThrownBy(() -> job.run(IngestRequest.of(List.of(file.toString()))))
        .isInstanceOf(LakerankException.class)
        .hasMessageContaining("changed since it was ingested")
        .hasMessageContaining("--allow-changed");

    IngestRequest allowed =
        new IngestRequest(
            List.of(file.toString()),
            Optional.empty(),
            Optional.empty(),
            Map.of(),
            Map.of(),
            ",",
            true,
            List.of(),
            true);
    assertThat(job.run(allowed).rows()).isEqualTo(2);
    assertThat(job.run(allowed).rows()).isZero();
  }

  @Test
  void readsMovieLensUData() throws IOException {
    Path file =
        write(
            "ml-100k/u.data",
            "196\t242\t3\t881250949",
            "186\t302\t3\t891717742",
            "22\t377\t1\t878887116");

    IngestSummary summary = job.run(IngestRequest.of(List.of(file.toString())));

    assertThat(summary.format()).isEqualTo(SourceFormat.MOVIELENS_UDATA);
    assertThat(summary.table()).isEqualTo(BronzeTable.EVENTS);
    assertThat(summary.rows()).isEqualTo(3);
    Row first = bronzeEvent("196");
    assertThat(first.<String>getAs("item_id")).isEqualTo("242");
    assertThat(first.<String>getAs("rating")).isEqualTo("3");
    assertThat(first.<String>getAs("event_time")).isEqualTo("881250949");
    assertThat(first.<String>getAs("event_type")).isEqualTo("rating");
    assertThat(first.<String>getAs("event_id")).startsWith("h-").hasSize(34);
  }

  @Test
  void readsMovieLensRatingsDat() throws IOException {
    Path file = write("ml-1m/ratings.dat", "1::1193::5::978300760", "1::661::3::978302109");

    IngestSummary summary = job.run(IngestRequest.of(List.of(file.toString())));

    assertThat(summary.format()).isEqualTo(SourceFormat.MOVIELENS_DAT);
    assertThat(summary.rows()).isEqualTo(2);
    assertThat(summary.corruptRows()).isZero();
    assertThat(
            lakehouse
                .read(BronzeTable.EVENTS.tableName())
                .where("item_id = '661' AND rating = '3' AND user_id = '1'")
                .count())
        .isEqualTo(1);
  }

  @Test
  void readsMovieLensRatingsCsvWithItsHeader() throws IOException {
    Path file =
        write(
            "ml-latest-small/ratings.csv",
            "userId,movieId,rating,timestamp",
            "1,1,4.0,964982703",
            "1,3,4.0,964981247",
            "2,318,3.5,1445714835");

    IngestSummary summary = job.run(IngestRequest.of(List.of(file.toString())));

    assertThat(summary.format()).isEqualTo(SourceFormat.MOVIELENS_CSV);
    assertThat(summary.rows()).isEqualTo(3);
    Row row = bronzeEvent("2");
    assertThat(row.<String>getAs("item_id")).isEqualTo("318");
    assertThat(row.<String>getAs("rating")).isEqualTo("3.5");
    assertThat(row.<String>getAs("event_type")).isEqualTo("rating");
  }

  @Test
  void derivesTheSameEventIdForTheSameRatingInEveryLayout() throws IOException {
    Path dat = write("a/ratings.dat", "5::10::4::978300760");
    Path udata = write("b/u.data", "5\t10\t4\t978300760");
    job.run(IngestRequest.of(List.of(dat.toString())));
    job.run(IngestRequest.of(List.of(udata.toString())));
    assertThat(lakehouse.read(BronzeTable.EVENTS.tableName()).select("event_id").distinct().count())
        .isEqualTo(1);
  }

  @Test
  void mapsForeignCsvColumnsByFlag() throws IOException {
    Path file =
        write(
            "export/clicks.csv",
            "id,uid,iid,kind,ts,extra",
            "x1,7,9,click,2026-01-01T00:00:00Z,zzz");
    IngestRequest request =
        new IngestRequest(
            List.of(file.toString()),
            Optional.empty(),
            Optional.of(BronzeTable.EVENTS),
            Map.of(
                "event_id",
                "id",
                "user_id",
                "uid",
                "item_id",
                "iid",
                "event_type",
                "kind",
                "event_time",
                "ts"),
            Map.of(),
            ",",
            true,
            List.of(),
            false);

    assertThat(job.run(request).rows()).isEqualTo(1);
    Row row = lakehouse.read(BronzeTable.EVENTS.tableName()).head();
    assertThat(row.<String>getAs("event_id")).isEqualTo("x1");
    assertThat(row.<String>getAs("user_id")).isEqualTo("7");
    assertThat(row.<String>getAs("event_type")).isEqualTo("click");
  }

  @Test
  void namesTheMissingColumnAndTheFlagThatMapsIt() throws IOException {
    Path file =
        write(
            "export/events.csv",
            "event_id,uid,item_id,event_type,event_time",
            "x1,7,9,click,2026-01-01T00:00:00Z");

    assertThatThrownBy(() -> job.run(IngestRequest.of(List.of(file.toString()))))
        .isInstanceOf(LakerankException.class)
        .hasMessage(
            "column `user_id` is missing from events.csv (found: event_id, uid, item_id, event_type, "
                + "event_time); map it with --map user_id=<column>");
  }

  @Test
  void refusesASourceWhoseTableCannotBeTold() throws IOException {
    Path file = write("export/stuff.csv", "a,b", "1,2");
    assertThatThrownBy(() -> job.run(IngestRequest.of(List.of(file.toString()))))
        .isInstanceOf(LakerankException.class)
        .hasMessageContaining("pass --table events|users|items");
  }

  @Test
  void readsParquetAndCsvDimensions() throws IOException {
    Path users =
        write(
            "raw/users/users.csv",
            "user_id,signup_time,country,age_band",
            "1,2025-01-01T00:00:00Z,US,25-34");
    Dataset<Row> items =
        SharedSpark.session()
            .sql(
                "SELECT 5L AS item_id, 'books' AS category, 9.99D AS price, TIMESTAMP'2025-02-01 00:00:00' AS created_time");
    String itemsPath = directory.resolve("raw/items").toString();
    items.write().parquet(itemsPath);

    job.run(IngestRequest.of(List.of(users.toString())));
    IngestSummary itemSummary = job.run(IngestRequest.of(List.of(itemsPath)));

    assertThat(itemSummary.table()).isEqualTo(BronzeTable.ITEMS);
    assertThat(itemSummary.format()).isEqualTo(SourceFormat.PARQUET);
    Row item = lakehouse.read(BronzeTable.ITEMS.tableName()).head();
    assertThat(item.<String>getAs("price")).isEqualTo("9.99");
    assertThat(item.<String>getAs("created_time")).isEqualTo("2025-02-01 00:00:00");
    assertThat(lakehouse.read(BronzeTable.USERS.tableName()).head().<String>getAs("country"))
        .isEqualTo("US");
  }

  private Row bronzeEvent(String userId) {
    return lakehouse
        .read(BronzeTable.EVENTS.tableName())
        .where(col("user_id").equalTo(userId))
        .head();
  }

  private static String event(String id) {
    return "{\"event_id\":\""
        + id
        + "\",\"user_id\":1,\"item_id\":2,\"event_type\":\"impression\",\"event_time\":\"2026-01-01T10:00:00Z\"}";
  }

  private Path write(String relative, String... lines) throws IOException {
    Path file = directory.resolve(relative);
    Files.createDirectories(file.getParent());
    Files.writeString(file, String.join("\n", lines) + "\n");
    return file;
  }
}
