package dev.lakerank.featurestore.retrieval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Timestamp;
import dev.lakerank.featurestore.definition.FeatureReference;
import dev.lakerank.featurestore.definition.FeatureRepository;
import dev.lakerank.featurestore.errors.InvalidFeatureRequest;
import dev.lakerank.featurestore.format.EntityKeys;
import dev.lakerank.featurestore.format.FeatureValues;
import dev.lakerank.featurestore.online.OnlineRow;
import dev.lakerank.featurestore.online.OnlineStoreContract;
import dev.lakerank.featurestore.online.OnlineView;
import dev.lakerank.featurestore.online.SqliteOnlineStore;
import dev.lakerank.featurestore.registry.FeastRegistry;
import dev.lakerank.featurestore.testing.ShopRepository;
import feast.proto.serving.ServingAPIProto.FeatureList;
import feast.proto.serving.ServingAPIProto.FieldStatus;
import feast.proto.serving.ServingAPIProto.GetOnlineFeaturesRequest;
import feast.proto.serving.ServingAPIProto.GetOnlineFeaturesResponse;
import feast.proto.types.EntityKeyProto.EntityKey;
import feast.proto.types.ValueProto.RepeatedValue;
import feast.proto.types.ValueProto.Value;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Feast's get_online_features over the shop repository, its registry and a real SQLite store. */
class OnlineFeatureServiceTest {
  private static final Instant NOW = Instant.parse("2024-05-10T12:00:00Z");

  @TempDir Path directory;
  private SqliteOnlineStore store;
  private FeastRegistry registry;
  private OnlineFeatureService service;

  @BeforeEach
  void materialize() {
    FeatureRepository repository = ShopRepository.write(directory);
    registry =
        FeastRegistry.build(
            repository,
            view -> "/lake/" + view.name(),
            Optional.empty(),
            NOW.minus(Duration.ofDays(30)));
    store = new SqliteOnlineStore(directory.resolve("data/online.db"), ShopRepository.PROJECT, 1);
    Map<String, OnlineView> views = registry.onlineViews();
    store.prepare(views.values());
    store.write(
        views.get("user_activity"),
        List.of(
            row(
                user(7),
                NOW.minus(Duration.ofDays(1)),
                "clicks_7d",
                12L,
                "ctr_7d",
                0.125,
                "last_category",
                null),
            row(
                user(8),
                NOW.minus(Duration.ofDays(8)),
                "clicks_7d",
                3L,
                "ctr_7d",
                0.5,
                "last_category",
                "books"),
            row(user(9), NOW.minus(Duration.ofHours(1)), "clicks_7d", 1L),
            row(user(10), NOW.minus(Duration.ofDays(7)), "clicks_7d", 5L),
            row(user(11), NOW.minus(Duration.ofHours(1)), "clicks_7d", 6L, "ctr_7d", "high"),
            row(user(12), NOW.minus(Duration.ofDays(8)), "clicks_7d", 4L, "last_category", null)));
    store.write(
        views.get("item_profile"),
        List.of(
            row(item(100), NOW.minus(Duration.ofDays(3650)), "category", "shoes", "price", 59.5)));
    store.write(
        views.get("item_popularity"),
        List.of(
            row(item(100), NOW.minus(Duration.ofHours(2)), "impressions_1h", 40L, "ctr_1h", 0.05)));
    store.write(
        views.get("user_item_affinity"),
        List.of(
            row(
                EntityKeys.of(Map.of("user_id", int64(7), "item_id", int64(100))),
                NOW.minus(Duration.ofDays(2)),
                "clicks_30d",
                2L)));
    service = new OnlineFeatureService(registry, store, Clock.fixed(NOW, ZoneOffset.UTC));
  }

  @AfterEach
  void closeStore() {
    store.close();
  }

  @Test
  void returnsStoredValuesWithTheirEventTimes() {
    OnlineFeatures features =
        service.get(refs("user_activity:clicks_7d", "user_activity:ctr_7d"), users(7), false);

    assertThat(features.names()).containsExactly("user_activity:clicks_7d", "user_activity:ctr_7d");
    assertThat(features.rows()).isEqualTo(1);
    assertThat(features.value(0, 0)).isEqualTo(int64(12));
    assertThat(features.value(1, 0)).isEqualTo(Value.newBuilder().setDoubleVal(0.125).build());
    assertThat(features.status(0, 0)).isEqualTo(FieldStatus.PRESENT);
    assertThat(features.status(1, 0)).isEqualTo(FieldStatus.PRESENT);
    assertThat(FeatureValues.instant(features.eventTime(0, 0)))
        .isEqualTo(NOW.minus(Duration.ofDays(1)));
  }

  @Test
  void anUnknownEntityIsNotFound() {
    OnlineFeatures features = service.get(refs("user_activity:clicks_7d"), users(7, 999), false);

    assertThat(features.status(0, 1)).isEqualTo(FieldStatus.NOT_FOUND);
    assertThat(features.value(0, 1)).isEqualTo(Value.getDefaultInstance());
    assertThat(features.eventTime(0, 1)).isEqualTo(Timestamp.getDefaultInstance());
    assertThat(features.status(0, 0)).isEqualTo(FieldStatus.PRESENT);
  }

  @Test
  void aFeatureTheRowDoesNotHoldIsNotFound() {
    OnlineFeatures features =
        service.get(refs("user_activity:clicks_7d", "user_activity:ctr_7d"), users(9), false);

    assertThat(features.status(0, 0)).isEqualTo(FieldStatus.PRESENT);
    assertThat(features.status(1, 0)).isEqualTo(FieldStatus.NOT_FOUND);
    assertThat(features.value(1, 0)).isEqualTo(Value.getDefaultInstance());
  }

  @Test
  void aStoredValueOfAnotherTypeIsNotFound() {
    OnlineFeatures features = service.get(refs("user_activity:ctr_7d"), users(11), false);

    assertThat(features.status(0, 0)).isEqualTo(FieldStatus.NOT_FOUND);
    assertThat(features.value(0, 0)).isEqualTo(Value.getDefaultInstance());
  }

  @Test
  void aStoredNullIsNullValueWithItsEventTime() {
    OnlineFeatures features = service.get(refs("user_activity:last_category"), users(7), false);

    assertThat(features.status(0, 0)).isEqualTo(FieldStatus.NULL_VALUE);
    assertThat(features.value(0, 0)).isEqualTo(Value.getDefaultInstance());
    assertThat(FeatureValues.instant(features.eventTime(0, 0)))
        .isEqualTo(NOW.minus(Duration.ofDays(1)));
  }

  @Test
  void aRowOlderThanTheTtlIsOutsideMaxAgeButKeepsItsValue() {
    OnlineFeatures features =
        service.get(
            refs("user_activity:clicks_7d", "user_activity:last_category"), users(8), false);

    assertThat(features.status(0, 0)).isEqualTo(FieldStatus.OUTSIDE_MAX_AGE);
    assertThat(features.value(0, 0)).isEqualTo(int64(3));
    assertThat(features.status(1, 0)).isEqualTo(FieldStatus.OUTSIDE_MAX_AGE);
    assertThat(FeatureValues.instant(features.eventTime(0, 0)))
        .isEqualTo(NOW.minus(Duration.ofDays(8)));
  }

  @Test
  void aStaleNullIsOutsideMaxAgeAsInFeastsJavaServer() {
    // Feast's Java server (OnlineServingServiceV2.getFeatureStatus) checks the age before the null
    OnlineFeatures features =
        service.get(refs("user_activity:last_category", "user_activity:ctr_7d"), users(12), false);

    assertThat(features.status(0, 0)).isEqualTo(FieldStatus.OUTSIDE_MAX_AGE);
    assertThat(features.value(0, 0)).isEqualTo(Value.getDefaultInstance());
    assertThat(features.status(1, 0)).isEqualTo(FieldStatus.NOT_FOUND);
  }

  @Test
  void aRowExactlyTtlOldIsStillPresent() {
    // Feast's Java server: outside max age when now - event > ttl
    assertThat(service.get(refs("user_activity:clicks_7d"), users(10), false).status(0, 0))
        .isEqualTo(FieldStatus.PRESENT);
  }

  @Test
  void rowsAgeWithTheClock() {
    // user 7's row becomes 7d 1h old, user 9's 6d 2h
    Instant later = NOW.plus(Duration.ofDays(6)).plus(Duration.ofHours(1));
    OnlineFeatureService aged =
        new OnlineFeatureService(registry, store, Clock.fixed(later, ZoneOffset.UTC));

    OnlineFeatures features = aged.get(refs("user_activity:clicks_7d"), users(7, 9), false);

    assertThat(features.status(0, 0)).isEqualTo(FieldStatus.OUTSIDE_MAX_AGE);
    assertThat(features.status(0, 1)).isEqualTo(FieldStatus.PRESENT);
  }

  @Test
  void aViewWithoutTtlNeverExpires() {
    OnlineFeatureService muchLater =
        new OnlineFeatureService(
            registry, store, Clock.fixed(NOW.plus(Duration.ofDays(36_500)), ZoneOffset.UTC));

    OnlineFeatures features =
        muchLater.get(
            refs("item_profile:category", "item_profile:price"),
            columns("item_id", int64(100)),
            false);

    assertThat(features.status(0, 0)).isEqualTo(FieldStatus.PRESENT);
    assertThat(features.value(0, 0)).isEqualTo(Value.newBuilder().setStringVal("shoes").build());
    assertThat(features.status(1, 0)).isEqualTo(FieldStatus.PRESENT);
  }

  @Test
  void widensAnInt32KeyValueForAnInt64JoinKey() {
    OnlineFeatures features =
        service.get(
            refs("user_activity:clicks_7d"),
            columns("user_id", Value.newBuilder().setInt32Val(7).build()),
            false);

    assertThat(features.status(0, 0)).isEqualTo(FieldStatus.PRESENT);
    assertThat(features.value(0, 0)).isEqualTo(int64(12));
  }

  @Test
  void aNullKeyValueIsNotFound() {
    OnlineFeatures features =
        service.get(
            refs("user_activity:clicks_7d"),
            columns("user_id", Value.getDefaultInstance(), int64(7)),
            false);

    assertThat(features.status(0, 0)).isEqualTo(FieldStatus.NOT_FOUND);
    assertThat(features.status(0, 1)).isEqualTo(FieldStatus.PRESENT);
  }

  @Test
  void readsViewsOfOneAndOfTwoEntitiesForTheSameRows() {
    Map<String, List<Value>> entities = new LinkedHashMap<>();
    entities.put("user_id", List.of(int64(7), int64(7)));
    entities.put("item_id", List.of(int64(100), int64(101)));

    OnlineFeatures features =
        service.get(
            refs(
                "user_item_affinity:clicks_30d",
                "item_popularity:impressions_1h",
                "user_activity:clicks_7d"),
            entities,
            false);

    assertThat(features.value(0, 0)).isEqualTo(int64(2));
    assertThat(features.status(0, 1)).isEqualTo(FieldStatus.NOT_FOUND);
    assertThat(features.value(1, 0)).isEqualTo(int64(40));
    assertThat(features.status(1, 1)).isEqualTo(FieldStatus.NOT_FOUND);
    assertThat(features.value(2, 0)).isEqualTo(int64(12));
    assertThat(features.value(2, 1)).isEqualTo(int64(12));
  }

  @Test
  void answersAFeatureServiceRequestInTheServicesOrder() {
    GetOnlineFeaturesRequest request =
        GetOnlineFeaturesRequest.newBuilder()
            .setFeatureService("ranker")
            .putEntities("user_id", repeated(int64(7)))
            .putEntities("item_id", repeated(int64(100)))
            .build();

    OnlineFeatures features = service.get(request);

    assertThat(features.names())
        .containsExactly(
            "user_activity:ctr_7d",
            "user_activity:clicks_7d",
            "item_popularity:ctr_1h",
            "item_profile:price");
    assertThat(features.value(0, 0).getDoubleVal()).isEqualTo(0.125);
    assertThat(features.value(1, 0).getInt64Val()).isEqualTo(12);
    assertThat(features.value(2, 0).getDoubleVal()).isEqualTo(0.05);
    assertThat(features.value(3, 0).getDoubleVal()).isEqualTo(59.5);
    assertThat(features.status(3, 0)).isEqualTo(FieldStatus.PRESENT);
  }

  @Test
  void theResponsePutsEntityColumnsFirstAndOneEntryPerRowInEveryColumn() {
    GetOnlineFeaturesRequest request =
        GetOnlineFeaturesRequest.newBuilder()
            .setFeatures(
                FeatureList.newBuilder()
                    .addVal("user_activity:clicks_7d")
                    .addVal("item_profile:price"))
            .putEntities("user_id", repeated(int64(7), int64(999), int64(8)))
            .putEntities("item_id", repeated(int64(100), int64(100), int64(5)))
            .build();

    GetOnlineFeaturesResponse response = service.get(request).toProto();

    assertThat(response.getMetadata().getFeatureNames().getValList())
        .containsExactly("user_id", "item_id", "user_activity:clicks_7d", "item_profile:price");
    assertThat(response.getResultsList())
        .hasSize(4)
        .allSatisfy(
            vector -> {
              assertThat(vector.getValuesCount()).isEqualTo(3);
              assertThat(vector.getStatusesCount()).isEqualTo(3);
              assertThat(vector.getEventTimestampsCount()).isEqualTo(3);
            });
    assertThat(response.getResults(0).getValuesList())
        .containsExactly(int64(7), int64(999), int64(8));
    assertThat(response.getResults(0).getStatusesList()).containsOnly(FieldStatus.PRESENT);
    assertThat(response.getResults(1).getValuesList())
        .containsExactly(int64(100), int64(100), int64(5));
    assertThat(response.getResults(2).getStatusesList())
        .containsExactly(FieldStatus.PRESENT, FieldStatus.NOT_FOUND, FieldStatus.OUTSIDE_MAX_AGE);
    assertThat(response.getResults(2).getValuesList())
        .containsExactly(int64(12), Value.getDefaultInstance(), int64(3));
    assertThat(response.getResults(3).getStatusesList())
        .containsExactly(FieldStatus.PRESENT, FieldStatus.PRESENT, FieldStatus.NOT_FOUND);
    assertThat(response.getStatus()).isTrue();
  }

  @Test
  void fullFeatureNamesUseTheDoubleUnderscore() {
    GetOnlineFeaturesRequest request =
        GetOnlineFeaturesRequest.newBuilder()
            .setFeatures(FeatureList.newBuilder().addVal("user_activity:clicks_7d"))
            .putEntities("user_id", repeated(int64(7)))
            .setFullFeatureNames(true)
            .build();

    assertThat(service.get(request).names()).containsExactly("user_activity__clicks_7d");
    assertThat(service.get(request.toBuilder().setFullFeatureNames(false).build()).names())
        .containsExactly("user_activity:clicks_7d");
  }

  @Test
  void refusesAnUnknownOrOfflineView() {
    assertThatThrownBy(() -> service.get(refs("user_demographics:age"), users(7), false))
        .isInstanceOf(InvalidFeatureRequest.class)
        .hasMessage(
            "feature reference `user_demographics:age`: no online feature view `user_demographics` "
                + "(there are: user_activity, item_profile, user_item_affinity, item_popularity)");
  }

  @Test
  void refusesAnUnknownFeature() {
    assertThatThrownBy(() -> service.get(refs("user_activity:clicks_30d"), users(7), false))
        .isInstanceOf(InvalidFeatureRequest.class)
        .hasMessage(
            "feature reference `user_activity:clicks_30d`: feature view `user_activity` has no feature `clicks_30d` "
                + "(it has: clicks_7d, ctr_7d, last_category)");
  }

  @Test
  void refusesAMalformedReference() {
    GetOnlineFeaturesRequest request =
        GetOnlineFeaturesRequest.newBuilder()
            .setFeatures(FeatureList.newBuilder().addVal("clicks_7d"))
            .putEntities("user_id", repeated(int64(7)))
            .build();

    assertThatThrownBy(() -> service.get(request))
        .isInstanceOf(InvalidFeatureRequest.class)
        .hasMessage(
            "feature reference `clicks_7d` is not of the form <feature view>:<feature>, for example user_activity:clicks_7d");
  }

  @Test
  void refusesARequestWithoutTheViewsJoinKey() {
    assertThatThrownBy(
            () ->
                service.get(refs("user_activity:clicks_7d"), columns("item_id", int64(100)), false))
        .isInstanceOf(InvalidFeatureRequest.class)
        .hasMessage(
            "feature view `user_activity` needs join key `user_id`, which the request does not have (it has: item_id)");
  }

  @Test
  void refusesAStringForAnInt64JoinKey() {
    assertThatThrownBy(
            () ->
                service.get(
                    refs("user_activity:clicks_7d"),
                    columns("user_id", int64(7), Value.newBuilder().setStringVal("8").build()),
                    false))
        .isInstanceOf(InvalidFeatureRequest.class)
        .hasMessage("join key `user_id` is Int64, but row 1 has a string value; send Int64 values");
  }

  @Test
  void refusesEntityColumnsOfDifferentLengths() {
    Map<String, List<Value>> entities = new LinkedHashMap<>();
    entities.put("user_id", List.of(int64(7), int64(8)));
    entities.put("item_id", List.of(int64(100)));

    assertThatThrownBy(() -> service.get(refs("user_activity:clicks_7d"), entities, false))
        .isInstanceOf(InvalidFeatureRequest.class)
        .hasMessage(
            "entity columns have different lengths: `item_id` has 1 values, others 2; send one value per row in every column");
  }

  @Test
  void refusesARequestForNoFeaturesOrWithoutEntities() {
    assertThatThrownBy(() -> service.get(List.of(), users(7), false))
        .isInstanceOf(InvalidFeatureRequest.class)
        .hasMessage("the request asks for no features; name some as view:feature");
    assertThatThrownBy(() -> service.get(refs("user_activity:clicks_7d"), Map.of(), false))
        .isInstanceOf(InvalidFeatureRequest.class)
        .hasMessage("the request has no entity rows; send the join keys, such as user_id");
    assertThatThrownBy(
            () ->
                service.get(
                    GetOnlineFeaturesRequest.newBuilder()
                        .putEntities("user_id", repeated(int64(7)))
                        .build()))
        .isInstanceOf(InvalidFeatureRequest.class)
        .hasMessage("the request names neither features nor a feature service");
  }

  @Test
  void refusesAnUnknownFeatureService() {
    GetOnlineFeaturesRequest request =
        GetOnlineFeaturesRequest.newBuilder()
            .setFeatureService("scorer")
            .putEntities("user_id", repeated(int64(7)))
            .build();

    assertThatThrownBy(() -> service.get(request))
        .isInstanceOf(InvalidFeatureRequest.class)
        .hasMessage("no feature service `scorer` in the registry (there are: ranker)");
  }

  private static List<FeatureReference> refs(String... references) {
    return Arrays.stream(references).map(FeatureReference::parse).toList();
  }

  private static Map<String, List<Value>> users(long... ids) {
    return Map.of("user_id", Arrays.stream(ids).mapToObj(OnlineFeatureServiceTest::int64).toList());
  }

  private static Map<String, List<Value>> columns(String joinKey, Value... values) {
    return Map.of(joinKey, List.of(values));
  }

  private static RepeatedValue repeated(Value... values) {
    return RepeatedValue.newBuilder().addAllVal(List.of(values)).build();
  }

  private static EntityKey user(long id) {
    return EntityKeys.of("user_id", int64(id));
  }

  private static EntityKey item(long id) {
    return EntityKeys.of("item_id", int64(id));
  }

  private static Value int64(long value) {
    return Value.newBuilder().setInt64Val(value).build();
  }

  private static OnlineRow row(EntityKey key, Instant eventTime, Object... namesAndValues) {
    return OnlineStoreContract.row(key, eventTime, namesAndValues);
  }
}
