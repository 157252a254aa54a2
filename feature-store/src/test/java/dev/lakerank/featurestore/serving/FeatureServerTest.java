package dev.lakerank.featurestore.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.feast.FeastClient;
import dev.feast.Row;
import dev.lakerank.featurestore.definition.FeatureRepository;
import dev.lakerank.featurestore.definition.ValueType;
import dev.lakerank.featurestore.format.EntityKeys;
import dev.lakerank.featurestore.format.FeatureValues;
import dev.lakerank.featurestore.online.OnlineRow;
import dev.lakerank.featurestore.online.OnlineView;
import dev.lakerank.featurestore.online.SqliteOnlineStore;
import dev.lakerank.featurestore.registry.FeastRegistry;
import dev.lakerank.featurestore.retrieval.OnlineFeatureService;
import dev.lakerank.featurestore.testing.ShopRepository;
import feast.proto.serving.ServingAPIProto.FieldStatus;
import feast.proto.types.ValueProto.Value;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The gRPC server answering Feast's own, unmodified Java client (feast-serving-client 0.38.0). */
class FeatureServerTest {
  private static final Instant NOW = Instant.parse("2024-05-10T12:00:00Z");
  private static final Instant USER_7_TIME = NOW.minus(Duration.ofDays(1));

  @TempDir static Path directory;
  private static SqliteOnlineStore store;
  private static FeatureServer server;
  private static FeastClient client;

  @BeforeAll
  static void startServer() {
    FeatureRepository repository = ShopRepository.write(directory);
    FeastRegistry registry =
        FeastRegistry.build(repository, view -> "/lake/" + view.name(), Optional.empty(), NOW);
    store = new SqliteOnlineStore(directory.resolve("data/online.db"), ShopRepository.PROJECT, 2);
    Map<String, OnlineView> views = registry.onlineViews();
    store.prepare(views.values());
    store.write(
        views.get("user_activity"),
        List.of(
            new OnlineRow(
                EntityKeys.of("user_id", int64(7)),
                Map.of(
                    "clicks_7d",
                    int64(12),
                    "ctr_7d",
                    FeatureValues.toProto(0.125, ValueType.DOUBLE),
                    "last_category",
                    FeatureValues.nullValue()),
                USER_7_TIME,
                null)));
    store.write(
        views.get("item_profile"),
        List.of(
            new OnlineRow(
                EntityKeys.of("item_id", int64(100)),
                Map.of(
                    "category",
                    FeatureValues.toProto("shoes", ValueType.STRING),
                    "price",
                    FeatureValues.toProto(59.5, ValueType.DOUBLE)),
                NOW.minus(Duration.ofDays(400)),
                null)));
    OnlineFeatureService features =
        new OnlineFeatureService(registry, store, Clock.fixed(NOW, ZoneOffset.UTC));
    server = FeatureServer.start(features, "127.0.0.1", 0, "lakerank-test");
    client = FeastClient.create("127.0.0.1", server.port());
  }

  @AfterAll
  static void stopServer() throws Exception {
    if (client != null) {
      client.close();
    }
    if (server != null) {
      server.close();
    }
    if (store != null) {
      store.close();
    }
  }

  @Test
  void servesFeaturesToFeastsJavaClient() {
    List<Row> rows =
        client.getOnlineFeatures(
            List.of(
                "user_activity:ctr_7d",
                "user_activity:clicks_7d",
                "user_activity:last_category",
                "item_profile:category"),
            List.of(
                Row.create().set("user_id", 7L).set("item_id", 100L),
                Row.create().set("user_id", 999L).set("item_id", 100L)));

    assertThat(rows).hasSize(2);
    Row known = rows.get(0);
    assertThat(known.getDouble("user_activity:ctr_7d")).isEqualTo(0.125);
    assertThat(known.getLong("user_activity:clicks_7d")).isEqualTo(12L);
    assertThat(known.getString("item_profile:category")).isEqualTo("shoes");
    assertThat(known.getStatus("user_activity:ctr_7d")).isEqualTo(FieldStatus.PRESENT);
    assertThat(known.getStatus("user_activity:clicks_7d")).isEqualTo(FieldStatus.PRESENT);
    assertThat(known.getStatus("user_activity:last_category")).isEqualTo(FieldStatus.NULL_VALUE);
    assertThat(known.getStatus("item_profile:category")).isEqualTo(FieldStatus.PRESENT);
    assertThat(known.getLong("user_id")).isEqualTo(7L);

    Row unknown = rows.get(1);
    assertThat(unknown.getStatus("user_activity:ctr_7d")).isEqualTo(FieldStatus.NOT_FOUND);
    assertThat(unknown.getStatus("user_activity:clicks_7d")).isEqualTo(FieldStatus.NOT_FOUND);
    assertThat(unknown.getStatus("item_profile:category")).isEqualTo(FieldStatus.PRESENT);
    assertThat(unknown.getLong("user_id")).isEqualTo(999L);
  }

  @Test
  void acceptsTheInt32KeysTheClientSendsForJavaInts() {
    List<Row> rows =
        client.getOnlineFeatures(
            List.of("user_activity:clicks_7d"), List.of(Row.create().set("user_id", 7)));

    assertThat(rows)
        .singleElement()
        .satisfies(
            row -> {
              assertThat(row.getLong("user_activity:clicks_7d")).isEqualTo(12L);
              assertThat(row.getStatus("user_activity:clicks_7d")).isEqualTo(FieldStatus.PRESENT);
            });
  }

  @Test
  void reportsItsVersion() {
    assertThat(client.getFeastServingInfo().getVersion()).isEqualTo("lakerank-test");
  }

  @Test
  void answersAnUnknownFeatureWithInvalidArgumentAndTheReason() {
    assertThatThrownBy(
            () ->
                client.getOnlineFeatures(
                    List.of("user_activity:nope"), List.of(Row.create().set("user_id", 7L))))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
              assertThat(e.getStatus().getDescription())
                  .isEqualTo(
                      "feature reference `user_activity:nope`: feature view `user_activity` "
                          + "has no feature `nope` (it has: clicks_7d, ctr_7d, last_category)");
            });
  }

  private static Value int64(long value) {
    return Value.newBuilder().setInt64Val(value).build();
  }
}
