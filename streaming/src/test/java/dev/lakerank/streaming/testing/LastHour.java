package dev.lakerank.streaming.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lakerank.featurestore.FeatureStoreLocation;
import dev.lakerank.featurestore.format.EntityKeys;
import dev.lakerank.featurestore.online.OnlineStore;
import dev.lakerank.featurestore.online.OnlineView;
import dev.lakerank.featurestore.online.StoredRow;
import dev.lakerank.featurestore.online.ViewRead;
import dev.lakerank.jobs.tables.RealtimeOrigin;
import dev.lakerank.jobs.tables.UserRealtimeFeatures;
import feast.proto.types.ValueProto.Value;
import java.util.List;
import org.apache.spark.sql.Row;

/** Checks of the real-time features a stream left online and offline. */
public final class LastHour {
  private LastHour() {}

  /**
   * Every user's value, online and the latest offline row (by event time, then created time, as the
   * point-in-time join breaks ties), counts all its events: the caller's events all fall in each
   * user's last hour.
   */
  public static void assertCounts(
      StreamFixture fixture, int users, int[] impressions, int[] clicks, String when) {
    List<Row> latest =
        fixture
            .table(UserRealtimeFeatures.NAME)
            .where(RealtimeOrigin.COLUMN + " = 'stream'")
            .groupBy(UserRealtimeFeatures.USER_ID)
            .agg(
                org.apache
                    .spark
                    .sql
                    .functions
                    .expr(
                        "max_by(struct(impressions_1h, clicks_1h), struct(event_timestamp, created_timestamp))")
                    .alias("v"))
            .collectAsList();
    assertThat(latest).as(when).hasSize(users);
    for (Row row : latest) {
      int user = (int) row.getLong(0);
      assertThat(row.getStruct(1).getLong(0))
          .as("offline impressions of user %d, %s", user, when)
          .isEqualTo(impressions[user]);
      assertThat(row.getStruct(1).getLong(1))
          .as("offline clicks of user %d, %s", user, when)
          .isEqualTo(clicks[user]);
    }
    FeatureStoreLocation location = fixture.config().locations().featureStore();
    try (OnlineStore store = location.openOnline(1)) {
      OnlineView view =
          OnlineView.of(location.repository(), location.repository().featureView("user_realtime"));
      for (int user = 1; user <= users; user++) {
        StoredRow row = read(store, view, "user_id", user);
        assertThat(row.values().get(UserRealtimeFeatures.IMPRESSIONS_1H).getInt64Val())
            .as("online impressions of user %d, %s", user, when)
            .isEqualTo(impressions[user]);
        assertThat(row.values().get(UserRealtimeFeatures.CLICKS_1H).getInt64Val())
            .as("online clicks of user %d, %s", user, when)
            .isEqualTo(clicks[user]);
      }
    }
  }

  /** One entity's row of {@code view}, every feature, or null. */
  public static StoredRow read(OnlineStore store, OnlineView view, String key, long id) {
    byte[] entity =
        EntityKeys.serialize(
            EntityKeys.of(key, Value.newBuilder().setInt64Val(id).build()),
            EntityKeys.DEFAULT_VERSION);
    return store
        .read(
            List.of(
                new ViewRead(
                    view, view.features().stream().map(f -> f.name()).toList(), List.of(entity))))
        .get(0)
        .get(0);
  }
}
