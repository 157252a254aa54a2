package dev.lakerank.featurestore.online;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lakerank.featurestore.definition.Feature;
import dev.lakerank.featurestore.definition.ValueType;
import dev.lakerank.featurestore.errors.OnlineStoreException;
import dev.lakerank.featurestore.format.EntityKeys;
import dev.lakerank.featurestore.format.FeatureValues;
import feast.proto.types.EntityKeyProto.EntityKey;
import feast.proto.types.ValueProto.Value;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link OnlineStore} promises, run against each real store by a subclass: reads give
 * back what was written, per requested key and in order; an older row never replaces a newer one; a
 * view with nothing stored reads as nulls.
 */
public abstract class OnlineStoreContract {
  static final OnlineView USER_ACTIVITY =
      new OnlineView(
          "user_activity",
          List.of(new OnlineView.JoinKey("user_id", ValueType.INT64)),
          List.of(
              new Feature("clicks_7d", ValueType.INT64),
              new Feature("ctr_7d", ValueType.DOUBLE),
              new Feature("last_category", ValueType.STRING)),
          Duration.ofDays(7));
  static final OnlineView ITEM_POPULARITY =
      new OnlineView(
          "item_popularity",
          List.of(new OnlineView.JoinKey("item_id", ValueType.INT64)),
          List.of(
              new Feature("impressions_7d", ValueType.INT64),
              new Feature("ctr_7d", ValueType.DOUBLE)),
          Duration.ofDays(1));
  static final OnlineView ITEM_PROFILE =
      new OnlineView(
          "item_profile",
          List.of(new OnlineView.JoinKey("item_id", ValueType.INT64)),
          List.of(
              new Feature("category", ValueType.STRING), new Feature("price", ValueType.DOUBLE)),
          Duration.ZERO);

  /** A view that no test prepares or writes. */
  static final OnlineView NEVER_WRITTEN =
      new OnlineView(
          "never_written",
          List.of(new OnlineView.JoinKey("item_id", ValueType.INT64)),
          List.of(new Feature("n", ValueType.INT64)),
          Duration.ZERO);

  static final Instant T0 = Instant.parse("2024-05-01T00:00:00Z");

  /** A project no other test uses; a second one, {@link #otherProject}, ends with it. */
  protected final String project =
      "t" + Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE);

  protected final String otherProject = "x" + project;
  protected OnlineStore store;

  /** A new store of {@code project} on the test's backend. */
  protected abstract OnlineStore openStore(String project);

  @BeforeEach
  void openAndPrepare() {
    store = openStore(project);
    store.prepare(List.of(USER_ACTIVITY, ITEM_POPULARITY, ITEM_PROFILE));
  }

  @AfterEach
  void closeStore() {
    store.close();
  }

  @Test
  void readsBackWhatWasWritten() {
    OnlineStore.WriteResult result =
        store.write(
            USER_ACTIVITY,
            List.of(
                row(user(7), T0, "clicks_7d", 12L, "ctr_7d", 0.125, "last_category", "shoes"),
                row(
                    user(8),
                    T0.plusSeconds(60),
                    "clicks_7d",
                    3L,
                    "ctr_7d",
                    0.5,
                    "last_category",
                    "books")));

    assertThat(result).isEqualTo(new OnlineStore.WriteResult(2, 0));
    List<StoredRow> rows =
        readOne(USER_ACTIVITY, List.of("clicks_7d", "ctr_7d", "last_category"), user(8), user(7));
    assertThat(rows)
        .containsExactly(
            new StoredRow(
                values("clicks_7d", 3L, "ctr_7d", 0.5, "last_category", "books"),
                T0.plusSeconds(60)),
            new StoredRow(values("clicks_7d", 12L, "ctr_7d", 0.125, "last_category", "shoes"), T0));
  }

  @Test
  void refusesAFeatureTheViewDoesNotHaveBeforeWritingAnything() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () ->
                store.write(
                    USER_ACTIVITY,
                    List.of(
                        row(
                            user(7),
                            T0,
                            "clicks_7d",
                            12L,
                            "ctr_7d",
                            0.125,
                            "last_category",
                            "shoes"),
                        row(
                            user(8),
                            T0,
                            "clicks_7d",
                            3L,
                            "ctr_30d",
                            0.5,
                            "last_category",
                            "books"))))
        .isInstanceOf(OnlineStoreException.class)
        .hasMessage(
            "feature view `user_activity` has no feature `ctr_30d` (it has: clicks_7d, ctr_7d, last_category)");
    assertThat(readOne(USER_ACTIVITY, List.of("clicks_7d"), user(7)))
        .containsExactly((StoredRow) null);
  }

  @Test
  void teardownRemovesTheProjectsDataAndNothingElse() {
    store.write(
        USER_ACTIVITY,
        List.of(row(user(7), T0, "clicks_7d", 12L, "ctr_7d", 0.125, "last_category", "shoes")));
    try (OnlineStore other = openStore(project + "z")) {
      other.prepare(List.of(USER_ACTIVITY));
      other.write(
          USER_ACTIVITY,
          List.of(row(user(7), T0, "clicks_7d", 1L, "ctr_7d", 0.5, "last_category", "hats")));

      assertThat(store.teardown(List.of(USER_ACTIVITY))).isPositive();

      assertThat(readOne(USER_ACTIVITY, List.of("clicks_7d"), user(7)))
          .containsExactly((StoredRow) null);
      assertThat(
              other
                  .read(
                      List.of(
                          new ViewRead(
                              USER_ACTIVITY,
                              List.of("clicks_7d"),
                              List.of(EntityKeys.serialize(user(7), EntityKeys.DEFAULT_VERSION)))))
                  .get(0)
                  .get(0)
                  .values())
          .containsEntry("clicks_7d", FeatureValues.toProto(1L, ValueType.INT64));
      other.teardown(List.of(USER_ACTIVITY));
    }
  }

  @Test
  void readsOnlyTheRequestedFeatures() {
    store.write(
        USER_ACTIVITY,
        List.of(row(user(7), T0, "clicks_7d", 12L, "ctr_7d", 0.125, "last_category", "shoes")));

    assertThat(readOne(USER_ACTIVITY, List.of("ctr_7d"), user(7)))
        .containsExactly(new StoredRow(values("ctr_7d", 0.125), T0));
  }

  @Test
  void keepsAStoredNullAsAnEmptyValueAndLeavesUnwrittenFeaturesOut() {
    store.write(USER_ACTIVITY, List.of(row(user(7), T0, "clicks_7d", 4L, "last_category", null)));

    StoredRow row =
        readOne(USER_ACTIVITY, List.of("clicks_7d", "ctr_7d", "last_category"), user(7)).get(0);

    assertThat(row.values()).containsOnlyKeys("clicks_7d", "last_category");
    assertThat(row.values().get("last_category")).isEqualTo(Value.getDefaultInstance());
    assertThat(row.eventTime()).isEqualTo(T0);
  }

  @Test
  void anOlderRowNeverReplacesANewerOne() {
    store.write(
        USER_ACTIVITY,
        List.of(
            row(
                user(7),
                T0.plusSeconds(3_600),
                "clicks_7d",
                20L,
                "ctr_7d",
                0.2,
                "last_category",
                "new")));

    OnlineStore.WriteResult result =
        store.write(
            USER_ACTIVITY,
            List.of(row(user(7), T0, "clicks_7d", 10L, "ctr_7d", 0.1, "last_category", "old")));

    assertThat(result).isEqualTo(new OnlineStore.WriteResult(0, 1));
    assertThat(readOne(USER_ACTIVITY, List.of("clicks_7d", "ctr_7d", "last_category"), user(7)))
        .containsExactly(
            new StoredRow(
                values("clicks_7d", 20L, "ctr_7d", 0.2, "last_category", "new"),
                T0.plusSeconds(3_600)));
  }

  @Test
  void aNewerRowReplacesTheStoredOne() {
    store.write(
        USER_ACTIVITY,
        List.of(row(user(7), T0, "clicks_7d", 10L, "ctr_7d", 0.1, "last_category", "old")));

    OnlineStore.WriteResult result =
        store.write(
            USER_ACTIVITY,
            List.of(
                row(
                    user(7),
                    T0.plusSeconds(60),
                    "clicks_7d",
                    20L,
                    "ctr_7d",
                    0.2,
                    "last_category",
                    "new")));

    assertThat(result).isEqualTo(new OnlineStore.WriteResult(1, 0));
    assertThat(readOne(USER_ACTIVITY, List.of("clicks_7d", "ctr_7d", "last_category"), user(7)))
        .containsExactly(
            new StoredRow(
                values("clicks_7d", 20L, "ctr_7d", 0.2, "last_category", "new"),
                T0.plusSeconds(60)));
  }

  @Test
  void aStreamsCorrectionAtTheSameEventTimeReplacesTheStoredRowButAnOlderOneDoesNot() {
    store.write(
        USER_ACTIVITY,
        List.of(row(user(7), T0, "clicks_7d", 1L, "ctr_7d", 0.1, "last_category", "first")));

    OnlineStore.WriteResult same =
        store.write(
            USER_ACTIVITY,
            List.of(row(user(7), T0, "clicks_7d", 2L, "ctr_7d", 0.2, "last_category", "completed")),
            OnlineStore.WriteRule.NOT_OLDER);
    OnlineStore.WriteResult older =
        store.write(
            USER_ACTIVITY,
            List.of(
                row(
                    user(7),
                    T0.minusSeconds(60),
                    "clicks_7d",
                    9L,
                    "ctr_7d",
                    0.9,
                    "last_category",
                    "old")),
            OnlineStore.WriteRule.NOT_OLDER);

    assertThat(same).isEqualTo(new OnlineStore.WriteResult(1, 0));
    assertThat(older).isEqualTo(new OnlineStore.WriteResult(0, 1));
    assertThat(readOne(USER_ACTIVITY, List.of("clicks_7d", "ctr_7d", "last_category"), user(7)))
        .containsExactly(
            new StoredRow(
                values("clicks_7d", 2L, "ctr_7d", 0.2, "last_category", "completed"), T0));
  }

  @Test
  void rewritingTheSameRowsChangesNothing() {
    List<OnlineRow> rows =
        List.of(
            row(user(1), T0, "clicks_7d", 1L, "ctr_7d", 0.1, "last_category", "a"),
            row(user(2), T0, "clicks_7d", 2L, "ctr_7d", 0.2, "last_category", "b"),
            row(user(3), T0, "clicks_7d", 3L, "ctr_7d", 0.3, "last_category", "c"));
    assertThat(store.write(USER_ACTIVITY, rows)).isEqualTo(new OnlineStore.WriteResult(3, 0));
    List<StoredRow> before =
        readOne(
            USER_ACTIVITY,
            List.of("clicks_7d", "ctr_7d", "last_category"),
            user(1),
            user(2),
            user(3));

    assertThat(store.write(USER_ACTIVITY, rows)).isEqualTo(new OnlineStore.WriteResult(0, 3));

    assertThat(
            readOne(
                USER_ACTIVITY,
                List.of("clicks_7d", "ctr_7d", "last_category"),
                user(1),
                user(2),
                user(3)))
        .isEqualTo(before)
        .doesNotContainNull();
  }

  @Test
  void theLatestRowOfABatchWinsWhereverItStands() {
    store.write(
        USER_ACTIVITY,
        List.of(
            row(user(1), T0.plusSeconds(60), "clicks_7d", 2L),
            row(user(1), T0, "clicks_7d", 1L),
            row(user(2), T0, "clicks_7d", 1L),
            row(user(2), T0.plusSeconds(60), "clicks_7d", 2L)));

    assertThat(readOne(USER_ACTIVITY, List.of("clicks_7d"), user(1), user(2)))
        .containsExactly(
            new StoredRow(values("clicks_7d", 2L), T0.plusSeconds(60)),
            new StoredRow(values("clicks_7d", 2L), T0.plusSeconds(60)));
  }

  @Test
  void readsOneUserAndTwoHundredItemsAcrossViewsInRequestOrder() {
    store.write(
        USER_ACTIVITY,
        List.of(row(user(7), T0, "clicks_7d", 12L, "ctr_7d", 0.125, "last_category", "shoes")));
    List<OnlineRow> popularity = new ArrayList<>();
    List<OnlineRow> profiles = new ArrayList<>();
    for (long id = 1; id <= 150; id++) {
      popularity.add(
          row(item(id), T0.plusSeconds(id), "impressions_7d", id * 10, "ctr_7d", id / 1000.0));
      if (id % 2 == 0) {
        profiles.add(row(item(id), T0, "category", "c" + id, "price", id + 0.5));
      }
    }
    store.write(ITEM_POPULARITY, popularity);
    store.write(ITEM_PROFILE, profiles);
    // 200 keys: items 1..180 then 1..20 again; 151..180 were never written
    List<Long> ids = new ArrayList<>();
    List<byte[]> itemKeys = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      long id = i % 180 + 1;
      ids.add(id);
      itemKeys.add(key(item(id)));
    }

    List<List<StoredRow>> result =
        store.read(
            List.of(
                new ViewRead(USER_ACTIVITY, List.of("ctr_7d", "clicks_7d"), List.of(key(user(7)))),
                new ViewRead(ITEM_POPULARITY, List.of("ctr_7d", "impressions_7d"), itemKeys),
                new ViewRead(ITEM_PROFILE, List.of("price"), itemKeys)));

    assertThat(result).hasSize(3);
    assertThat(result.get(0))
        .containsExactly(new StoredRow(values("ctr_7d", 0.125, "clicks_7d", 12L), T0));
    assertThat(result.get(1)).hasSize(200);
    assertThat(result.get(2)).hasSize(200);
    for (int i = 0; i < 200; i++) {
      long id = ids.get(i);
      StoredRow popular = result.get(1).get(i);
      StoredRow profile = result.get(2).get(i);
      if (id > 150) {
        assertThat(popular).as("item_popularity of unknown item %d at %d", id, i).isNull();
        assertThat(profile).as("item_profile of unknown item %d at %d", id, i).isNull();
        continue;
      }
      assertThat(popular)
          .as("item_popularity of item %d at %d", id, i)
          .isEqualTo(
              new StoredRow(
                  values("ctr_7d", id / 1000.0, "impressions_7d", id * 10), T0.plusSeconds(id)));
      if (id % 2 == 0) {
        assertThat(profile)
            .as("item_profile of item %d at %d", id, i)
            .isEqualTo(new StoredRow(values("price", id + 0.5), T0));
      } else {
        assertThat(profile).as("item_profile of item %d at %d", id, i).isNull();
      }
    }
  }

  @Test
  void readsMoreKeysThanOneQueryTakes() {
    List<OnlineRow> rows = new ArrayList<>();
    List<byte[]> keys = new ArrayList<>();
    for (long id = 1; id <= 1_100; id++) {
      if (id % 3 != 0) {
        rows.add(row(item(id), T0, "impressions_7d", id));
      }
      keys.add(key(item(id)));
    }
    store.write(ITEM_POPULARITY, rows);

    List<StoredRow> result =
        store.read(List.of(new ViewRead(ITEM_POPULARITY, List.of("impressions_7d"), keys))).get(0);

    assertThat(result).hasSize(1_100);
    for (int i = 0; i < 1_100; i++) {
      long id = i + 1;
      assertThat(result.get(i))
          .as("item %d", id)
          .isEqualTo(id % 3 == 0 ? null : new StoredRow(values("impressions_7d", id), T0));
    }
  }

  @Test
  void aViewWithNothingStoredReadsAsNulls() {
    store.write(ITEM_POPULARITY, List.of(row(item(1), T0, "impressions_7d", 5L)));

    List<List<StoredRow>> result =
        store.read(
            List.of(
                new ViewRead(NEVER_WRITTEN, List.of("n"), List.of(key(item(1)), key(item(2)))),
                new ViewRead(ITEM_PROFILE, List.of("category", "price"), List.of(key(item(1)))),
                new ViewRead(ITEM_POPULARITY, List.of("impressions_7d"), List.of(key(item(1))))));

    assertThat(result.get(0)).containsExactly(null, null);
    assertThat(result.get(1)).containsExactly((StoredRow) null);
    assertThat(result.get(2)).containsExactly(new StoredRow(values("impressions_7d", 5L), T0));
  }

  @Test
  void projectsDoNotSeeEachOthersRows() {
    store.write(USER_ACTIVITY, List.of(row(user(7), T0, "clicks_7d", 12L)));

    try (OnlineStore other = openStore(otherProject)) {
      other.prepare(List.of(USER_ACTIVITY));
      assertThat(
              other
                  .read(
                      List.of(
                          new ViewRead(USER_ACTIVITY, List.of("clicks_7d"), List.of(key(user(7))))))
                  .get(0))
          .containsExactly((StoredRow) null);
      other.write(USER_ACTIVITY, List.of(row(user(7), T0, "clicks_7d", 99L)));
    }

    assertThat(readOne(USER_ACTIVITY, List.of("clicks_7d"), user(7)))
        .containsExactly(new StoredRow(values("clicks_7d", 12L), T0));
  }

  @Test
  void readsEntitiesOfTwoJoinKeys() {
    OnlineView affinity =
        new OnlineView(
            "user_item_affinity",
            List.of(
                new OnlineView.JoinKey("user_id", ValueType.INT64),
                new OnlineView.JoinKey("item_id", ValueType.INT64)),
            List.of(new Feature("clicks_30d", ValueType.INT64)),
            Duration.ZERO);
    store.prepare(List.of(affinity));
    EntityKey pair = EntityKeys.of(Map.of("user_id", int64(7), "item_id", int64(100)));
    store.write(affinity, List.of(row(pair, T0, "clicks_30d", 2L)));

    EntityKey reversed = EntityKeys.of(Map.of("user_id", int64(100), "item_id", int64(7)));
    assertThat(
            store
                .read(
                    List.of(
                        new ViewRead(
                            affinity, List.of("clicks_30d"), List.of(key(pair), key(reversed)))))
                .get(0))
        .containsExactly(new StoredRow(values("clicks_30d", 2L), T0), null);
  }

  List<StoredRow> readOne(OnlineView view, List<String> features, EntityKey... keys) {
    List<byte[]> bytes = new ArrayList<>();
    for (EntityKey key : keys) {
      bytes.add(key(key));
    }
    List<List<StoredRow>> result = store.read(List.of(new ViewRead(view, features, bytes)));
    assertThat(result).hasSize(1);
    return result.get(0);
  }

  static EntityKey user(long id) {
    return EntityKeys.of("user_id", int64(id));
  }

  static EntityKey item(long id) {
    return EntityKeys.of("item_id", int64(id));
  }

  static byte[] key(EntityKey key) {
    return EntityKeys.serialize(key, 3);
  }

  static Value int64(long value) {
    return Value.newBuilder().setInt64Val(value).build();
  }

  /** A row of alternating feature names and Java values (Long, Double, String or null). */
  public static OnlineRow row(EntityKey key, Instant eventTime, Object... namesAndValues) {
    return new OnlineRow(key, values(namesAndValues), eventTime, eventTime.plusSeconds(5));
  }

  static Map<String, Value> values(Object... namesAndValues) {
    Map<String, Value> values = new HashMap<>();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      values.put((String) namesAndValues[i], value(namesAndValues[i + 1]));
    }
    return values;
  }

  static Value value(Object java) {
    if (java == null) {
      return FeatureValues.nullValue();
    }
    ValueType type =
        java instanceof Long
            ? ValueType.INT64
            : java instanceof Double ? ValueType.DOUBLE : ValueType.STRING;
    return FeatureValues.toProto(java, type);
  }
}
