package dev.lakerank.streaming.features;

import static dev.lakerank.streaming.testing.StreamFixture.event;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lakerank.featurestore.FeatureStoreLocation;
import dev.lakerank.featurestore.online.OnlineStore;
import dev.lakerank.featurestore.online.OnlineView;
import dev.lakerank.featurestore.online.StoredRow;
import dev.lakerank.jobs.features.RealtimeFeatures;
import dev.lakerank.jobs.tables.FeatureTableColumns;
import dev.lakerank.jobs.tables.ItemRealtimeFeatures;
import dev.lakerank.jobs.tables.RealtimeOrigin;
import dev.lakerank.jobs.tables.SilverInteractions;
import dev.lakerank.jobs.tables.SilverItems;
import dev.lakerank.jobs.tables.UserRealtimeFeatures;
import dev.lakerank.jobs.testing.CliRun;
import dev.lakerank.jobs.testing.SharedSpark;
import dev.lakerank.streaming.kafka.CommittedOffsets;
import dev.lakerank.streaming.kafka.KafkaClients;
import dev.lakerank.streaming.testing.KafkaHarness;
import dev.lakerank.streaming.testing.LastHour;
import dev.lakerank.streaming.testing.StreamFixture;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StreamFeaturesTest {
  private static final Duration SLIDE = RealtimeFeatures.SLIDE;

  @TempDir Path temp;

  /** A valid event for the brute-force count. */
  private record Event(String id, long user, long item, String type, Instant time) {
    String json() {
      return event(id, user, item, type, time);
    }
  }

  @Test
  void pushesEachEntitysLastHourOnlineAndTheSameRowsOfflineKeepingStateAcrossRuns() {
    StreamFixture fixture = new StreamFixture(temp, 10, 10);
    // well inside the watermark and the hour, never in the future
    Instant base = Instant.now().minus(Duration.ofMinutes(40)).truncatedTo(ChronoUnit.SECONDS);
    List<Event> first =
        List.of(
            new Event("a1", 1, 3, "impression", base),
            new Event("a2", 1, 4, "impression", base.plusSeconds(400)),
            new Event("a3", 1, 4, "click", base.plusSeconds(410)),
            new Event("a4", 2, 3, "impression", base.plusSeconds(30)),
            new Event("a5", 2, 3, "click", base.plusSeconds(35)),
            new Event("a6", 3, 7, "impression", base.plusSeconds(900)));
    List<String> messages = new ArrayList<>(first.stream().map(Event::json).toList());
    // delivered twice: counts once
    messages.add(first.get(1).json());
    // invalid (unknown item): counts nowhere
    messages.add(event("bad", 1, 999, "impression", base.plusSeconds(500)));
    KafkaHarness.sendEvents(fixture.events, messages);
    // nothing committed yet: every message is still to read
    assertThat(committed(fixture)).isEmpty();
    assertThat(behind(fixture)).isEqualTo(messages.size());

    CliRun run = fixture.cli("stream", "features", "--available-now");
    assertThat(run.exitCode()).as(run.err()).isZero();
    checkOnline(fixture, first);
    checkOffline(fixture, first);
    // the checkpoint's last committed offsets are the topic's end, read as `stream demo` reads them
    assertThat(committed(fixture))
        .isEqualTo(KafkaClients.endOffsets(fixture.config().stream(), fixture.events));
    assertThat(behind(fixture)).isZero();

    // later events of the same hour: the counts go on from the state in the checkpoint
    List<Event> second =
        List.of(
            new Event("b1", 1, 5, "click", base.plusSeconds(1200)),
            new Event("b2", 3, 7, "click", base.plusSeconds(1300)));
    KafkaHarness.sendEvents(fixture.events, second.stream().map(Event::json).toList());
    assertThat(behind(fixture)).isEqualTo(second.size());
    CliRun again = fixture.cli("stream", "features", "--available-now");
    assertThat(again.exitCode()).as(again.err()).isZero();
    assertThat(behind(fixture)).isZero();
    List<Event> all = new ArrayList<>(first);
    all.addAll(second);
    checkOnline(fixture, all);
    checkOffline(fixture, all);
    // the stream's rows are the backfill's values at the same times
    checkAgainstBackfill(fixture, all);
  }

  @Test
  void anEntitysLateEventsWithinTheWatermarkCompleteItsValueOnlineAndOffline() {
    StreamFixture fixture = new StreamFixture(temp, 20, 20);
    Instant base = Instant.now().minus(Duration.ofMinutes(20)).truncatedTo(ChronoUnit.MILLIS);
    List<String> messages = new ArrayList<>();
    int[] impressions = new int[21];
    int[] clicks = new int[21];
    for (int i = 0; i < 120; i++) {
      int user = 1 + i % 20;
      boolean click = i % 3 == 0;
      (click ? clicks : impressions)[user]++;
      messages.add(
          event(
              "o" + i,
              user,
              1 + i % 20,
              click ? "click" : "impression",
              base.plusMillis(i * 300L)));
    }
    // no key: a user's events spread over both partitions, so a micro-batch often brings a user's
    // latest event before earlier ones, which then complete the value at the same event time
    KafkaHarness.sendText(fixture.events, messages);

    CliRun run =
        fixture.cli(
            "stream", "features", "--available-now", "--set", "stream.max-offsets-per-trigger=30");
    assertThat(run.exitCode()).as(run.err()).isZero();
    LastHour.assertCounts(fixture, 20, impressions, clicks, "events out of order");
  }

  private static Map<Integer, Long> committed(StreamFixture fixture) {
    return new CommittedOffsets(
            fixture.config().stream().checkpoint(StreamFeatures.QUERY), fixture.events)
        .read();
  }

  private static long behind(StreamFixture fixture) {
    return CommittedOffsets.behind(
        KafkaClients.endOffsets(fixture.config().stream(), fixture.events), committed(fixture));
  }

  private void checkOnline(StreamFixture fixture, List<Event> events) {
    FeatureStoreLocation location = fixture.config().locations().featureStore();
    try (OnlineStore store = location.openOnline(1)) {
      OnlineView users =
          OnlineView.of(
              location.repository(), location.repository().featureView(StreamFeatures.USER_VIEW));
      OnlineView items =
          OnlineView.of(
              location.repository(), location.repository().featureView(StreamFeatures.ITEM_VIEW));
      for (long user : events.stream().map(Event::user).distinct().toList()) {
        Expected expected = expected(events, e -> e.user() == user);
        StoredRow row = LastHour.read(store, users, "user_id", user);
        assertThat(row).as("user %d online", user).isNotNull();
        assertThat(row.values().get(UserRealtimeFeatures.IMPRESSIONS_1H).getInt64Val())
            .as("user %d impressions", user)
            .isEqualTo(expected.impressions);
        assertThat(row.values().get(UserRealtimeFeatures.CLICKS_1H).getInt64Val())
            .as("user %d clicks", user)
            .isEqualTo(expected.clicks);
        assertThat(row.values().get(UserRealtimeFeatures.LAST_CATEGORY).getStringVal())
            .isEqualTo(StreamFixture.category(expected.lastItem));
        // Feast's SQLite layout keeps whole seconds
        assertThat(row.eventTime()).isEqualTo(expected.time.truncatedTo(ChronoUnit.SECONDS));
      }
      for (long item : events.stream().map(Event::item).distinct().toList()) {
        Expected expected = expected(events, e -> e.item() == item);
        StoredRow row = LastHour.read(store, items, "item_id", item);
        assertThat(row.values().get(ItemRealtimeFeatures.IMPRESSIONS_1H).getInt64Val())
            .as("item %d impressions", item)
            .isEqualTo(expected.impressions);
        assertThat(row.values().get(ItemRealtimeFeatures.CLICKS_1H).getInt64Val())
            .as("item %d clicks", item)
            .isEqualTo(expected.clicks);
      }
    }
  }

  private static void checkOffline(StreamFixture fixture, List<Event> events) {
    List<Row> rows =
        fixture
            .table(UserRealtimeFeatures.NAME)
            .where(RealtimeOrigin.COLUMN + " = 'stream'")
            .collectAsList();
    for (long user : events.stream().map(Event::user).distinct().toList()) {
      Expected expected = expected(events, e -> e.user() == user);
      Row latest =
          rows.stream()
              .filter(r -> r.<Long>getAs(UserRealtimeFeatures.USER_ID) == user)
              .max(
                  java.util.Comparator.comparing(
                      r -> r.<Timestamp>getAs(FeatureTableColumns.EVENT_TIMESTAMP)))
              .orElseThrow();
      assertThat(latest.<Timestamp>getAs(FeatureTableColumns.EVENT_TIMESTAMP).toInstant())
          .isEqualTo(expected.time);
      assertThat(latest.<Long>getAs(UserRealtimeFeatures.IMPRESSIONS_1H))
          .isEqualTo(expected.impressions);
      assertThat(latest.<Long>getAs(UserRealtimeFeatures.CLICKS_1H)).isEqualTo(expected.clicks);
    }
    // one row per entity and micro-batch: never the same value twice
    assertThat(
            fixture
                .table(UserRealtimeFeatures.NAME)
                .groupBy(UserRealtimeFeatures.USER_ID, FeatureTableColumns.EVENT_TIMESTAMP)
                .count()
                .where("count > 1")
                .count())
        .isZero();
  }

  private static void checkAgainstBackfill(StreamFixture fixture, List<Event> events) {
    List<Row> rows = new ArrayList<>();
    for (Event e : events) {
      rows.add(RowFactory.create(e.id(), e.user(), e.item(), e.type(), Timestamp.from(e.time())));
    }
    StructType schema =
        new StructType()
            .add(SilverInteractions.EVENT_ID, DataTypes.StringType)
            .add(SilverInteractions.USER_ID, DataTypes.LongType)
            .add(SilverInteractions.ITEM_ID, DataTypes.LongType)
            .add(SilverInteractions.EVENT_TYPE, DataTypes.StringType)
            .add(SilverInteractions.EVENT_TIME, DataTypes.TimestampType);
    var history =
        RealtimeFeatures.userRows(
            RealtimeFeatures.history(
                RealtimeFeatures.withCategory(
                    SharedSpark.session().createDataFrame(rows, schema),
                    fixture.table(SilverItems.NAME)),
                Instant.now()));
    var stream =
        fixture
            .table(UserRealtimeFeatures.NAME)
            .where(RealtimeOrigin.COLUMN + " = 'stream'")
            .drop(RealtimeOrigin.COLUMN, FeatureTableColumns.CREATED_TIMESTAMP);
    assertThat(stream.count()).isPositive();
    assertThat(stream.except(history.drop(FeatureTableColumns.CREATED_TIMESTAMP)).count()).isZero();
  }

  private record Expected(long impressions, long clicks, Instant time, long lastItem) {}

  /**
   * By hand: at the entity's latest event t, its events in [end - 1h, t] where end is the first
   * five-minute boundary after t.
   */
  private static Expected expected(List<Event> events, java.util.function.Predicate<Event> of) {
    List<Event> mine = events.stream().filter(of).toList();
    Event latest = mine.stream().max(java.util.Comparator.comparing(Event::time)).orElseThrow();
    long slide = SLIDE.toMillis();
    long end = Math.floorDiv(latest.time().toEpochMilli(), slide) * slide + slide;
    Instant start = Instant.ofEpochMilli(end).minus(RealtimeFeatures.WINDOW);
    List<Event> window =
        mine.stream()
            .filter(e -> !e.time().isBefore(start) && !e.time().isAfter(latest.time()))
            .toList();
    return new Expected(
        window.stream().filter(e -> e.type().equals("impression")).count(),
        window.stream().filter(e -> e.type().equals("click")).count(),
        latest.time(),
        latest.item());
  }
}
