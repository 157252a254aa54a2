package dev.lakerank.streaming.features;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lakerank.jobs.features.RealtimeFeatures;
import dev.lakerank.jobs.tables.FeatureTableColumns;
import dev.lakerank.jobs.tables.ItemRealtimeFeatures;
import dev.lakerank.jobs.tables.UserRealtimeFeatures;
import dev.lakerank.streaming.testing.StreamFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The feature stream's outbox after a crash: a batch Spark runs again, though its rows already
 * reached Delta, is appended together with a newer batch and must not land twice.
 */
class OfflineOutboxTest {
  private static final String QUERY_ID = "5d0c3c1e-0000-4000-8000-000000000001";
  private static final Instant T = Instant.parse("2026-03-01T12:00:00Z");

  @TempDir Path temp;

  private static List<RealtimeFeatures.Value> values(
      long user, long item, long impressions, long clicks, Instant at) {
    return List.of(
        new RealtimeFeatures.Value(RealtimeFeatures.USER, user, at, impressions, clicks, "books"),
        new RealtimeFeatures.Value(RealtimeFeatures.ITEM, item, at, impressions, clicks, null));
  }

  @Test
  void aBatchRunAgainAfterItReachedDeltaIsLeftOutWhenAppendedWithANewerOne() throws Exception {
    StreamFixture fixture = new StreamFixture(temp.resolve("lake"), 1, 1);
    String checkpoint = temp.resolve("checkpoint").toString();

    OfflineOutbox first = new OfflineOutbox(fixture.lakehouse, checkpoint, StreamFeatures.QUERY);
    first.start();
    first.put(QUERY_ID, 0, T, values(1, 100, 3, 1, T));
    first.close();
    assertThat(fixture.table(UserRealtimeFeatures.NAME).count()).isEqualTo(1);

    // the process died after the append of batch 0 but before Spark committed it: the next run does
    // batch 0 again (same values, a later creation time), then batch 1; both files wait together
    OfflineOutbox second = new OfflineOutbox(fixture.lakehouse, checkpoint, StreamFeatures.QUERY);
    second.put(QUERY_ID, 0, T.plusSeconds(30), values(1, 100, 3, 1, T));
    second.put(QUERY_ID, 1, T.plusSeconds(31), values(2, 101, 5, 2, T.plusSeconds(10)));
    second.start();
    second.close();

    List<Row> users =
        fixture
            .table(UserRealtimeFeatures.NAME)
            .select(UserRealtimeFeatures.USER_ID, FeatureTableColumns.EVENT_TIMESTAMP)
            .orderBy(UserRealtimeFeatures.USER_ID)
            .collectAsList();
    assertThat(users).extracting(row -> row.getLong(0)).containsExactly(1L, 2L);
    assertThat(
            fixture
                .table(ItemRealtimeFeatures.NAME)
                .select(ItemRealtimeFeatures.ITEM_ID)
                .collectAsList())
        .extracting(row -> row.getLong(0))
        .containsExactlyInAnyOrder(100L, 101L);
    try (Stream<Path> files = Files.list(temp.resolve("checkpoint").resolve("offline-outbox"))) {
      assertThat(files.filter(p -> !p.getFileName().toString().startsWith(".")))
          .as("the outbox is drained")
          .isEmpty();
    }
  }
}
