package dev.lakerank.serving;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.base.Ticker;
import dev.lakerank.featurestore.definition.FeatureReference;
import dev.lakerank.serving.features.CachingFeatureSource;
import dev.lakerank.serving.features.FeatureBlock;
import dev.lakerank.serving.features.FeatureSource;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class CachingFeatureSourceTest {
  private static final List<FeatureReference> REFS =
      List.of(
          new FeatureReference("item_profile", "price"),
          new FeatureReference("item_popularity", "ctr_7d"));

  /** Items 1-99 have a price and no ctr; other ids are unknown. Records every read. */
  static class Store implements FeatureSource {
    final List<long[]> reads = new ArrayList<>();

    @Override
    public Map<String, String> joinKeys() {
      return Map.of("item_profile", "item_id", "item_popularity", "item_id");
    }

    @Override
    public FeatureBlock read(String joinKey, long[] ids, List<FeatureReference> refs) {
      reads.add(ids.clone());
      Object[][] values = new Object[ids.length][refs.size()];
      for (int i = 0; i < ids.length; i++) {
        values[i][0] = ids[i] < 100 ? ids[i] * 1.5 : null;
      }
      return new FeatureBlock(refs, values, Map.of());
    }

    @Override
    public void ping() {}

    @Override
    public Clock clock() {
      return Clock.systemUTC();
    }

    @Override
    public String describe() {
      return "fake";
    }

    @Override
    public void close() {}
  }

  @Test
  void readsOnlyTheRowsItDoesNotHoldAndCountsMissesFromCachedRowsToo() {
    Store store = new Store();
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    CachingFeatureSource cache =
        new CachingFeatureSource(
            store, Set.of("item_id"), Set.of(), Duration.ofMinutes(1), Duration.ZERO, 1000, meters);

    FeatureBlock first = cache.read("item_id", new long[] {1, 2, 500}, REFS);
    FeatureBlock second = cache.read("item_id", new long[] {2, 3, 500, 1}, REFS);

    assertThat(store.reads).hasSize(2);
    assertThat(store.reads.get(0)).containsExactly(1, 2, 500);
    assertThat(store.reads.get(1)).containsExactly(3);
    assertThat(first.values()[0][0]).isEqualTo(1.5);
    assertThat(Arrays.stream(second.values()).map(row -> row[0]).toList())
        .containsExactly(3.0, 4.5, null, 1.5);
    // the unknown item 500 is a miss in both views, every item misses its ctr
    assertThat(second.misses())
        .containsEntry("item_profile", 1)
        .containsEntry("item_popularity", 4);
    assertThat(meters.counter("lakerank.features.cache", "result", "hit").count()).isEqualTo(3);
    assertThat(meters.counter("lakerank.features.cache", "result", "miss").count()).isEqualTo(4);
  }

  @Test
  void otherJoinKeysGoStraightToTheStore() {
    Store store = new Store();
    CachingFeatureSource cache =
        new CachingFeatureSource(
            store,
            Set.of("item_id"),
            Set.of(),
            Duration.ofMinutes(1),
            Duration.ZERO,
            1000,
            new SimpleMeterRegistry());
    cache.read("user_id", new long[] {7}, REFS);
    cache.read("user_id", new long[] {7}, REFS);
    assertThat(store.reads).hasSize(2);
  }

  /** Every value names its view, id and the read that returned it; id 500 is unknown everywhere. */
  static final class Versioned extends Store {
    final List<List<FeatureReference>> refsRead = new ArrayList<>();

    @Override
    public FeatureBlock read(String joinKey, long[] ids, List<FeatureReference> refs) {
      refsRead.add(refs);
      Object[][] values = new Object[ids.length][refs.size()];
      Map<String, Integer> misses = new java.util.HashMap<>();
      for (int i = 0; i < ids.length; i++) {
        for (int f = 0; f < refs.size(); f++) {
          if (ids[i] == 500) {
            misses.merge(refs.get(f).featureView(), 1, Integer::sum);
          } else {
            values[i][f] = refs.get(f).featureView() + ":" + ids[i] + "@" + refsRead.size();
          }
        }
      }
      return new FeatureBlock(refs, values, misses);
    }
  }

  @Test
  void
      withoutAStreamCacheTtlTheStreamViewsAreReadOnEveryRequestAndTheRestOfTheRowComesFromTheCache() {
    Versioned store = new Versioned();
    FeatureReference clicks = new FeatureReference("item_realtime", "clicks_1h");
    List<FeatureReference> refs = List.of(REFS.get(0), clicks, REFS.get(1));
    CachingFeatureSource cache =
        new CachingFeatureSource(
            store,
            Set.of("item_id"),
            Set.of("item_realtime"),
            Duration.ofMinutes(1),
            Duration.ZERO,
            1000,
            new SimpleMeterRegistry());

    FeatureBlock first = cache.read("item_id", new long[] {1, 500}, refs);
    FeatureBlock second = cache.read("item_id", new long[] {1, 500}, refs);

    // the cached views once, the stream view on each read
    assertThat(store.refsRead)
        .containsExactly(List.of(REFS.get(0), REFS.get(1)), List.of(clicks), List.of(clicks));
    assertThat(first.refs()).isEqualTo(refs);
    assertThat(first.values()[0])
        .containsExactly("item_profile:1@1", "item_realtime:1@2", "item_popularity:1@1");
    assertThat(second.values()[0])
        .containsExactly("item_profile:1@1", "item_realtime:1@3", "item_popularity:1@1");
    assertThat(second.values()[1]).containsOnlyNulls();
    assertThat(second.misses())
        .containsOnly(
            Map.entry("item_profile", 1),
            Map.entry("item_realtime", 1),
            Map.entry("item_popularity", 1));
    assertThat(cache.describe()).contains("(not item_realtime)");
  }

  @Test
  void withoutAStreamCacheTtlARequestOfStreamFeaturesOnlyIsNotCachedAtAll() {
    Versioned store = new Versioned();
    List<FeatureReference> refs = List.of(new FeatureReference("item_realtime", "clicks_1h"));
    CachingFeatureSource cache =
        new CachingFeatureSource(
            store,
            Set.of("item_id"),
            Set.of("item_realtime"),
            Duration.ofMinutes(1),
            Duration.ZERO,
            1000,
            new SimpleMeterRegistry());
    cache.read("item_id", new long[] {1}, refs);
    assertThat(cache.read("item_id", new long[] {1}, refs).values()[0])
        .containsExactly("item_realtime:1@2");
  }

  @Test
  void theStreamViewsAreKeptForTheStreamCacheTtlOnlyAndTheRestForTheCacheTtl() {
    Versioned store = new Versioned();
    FeatureReference clicks = new FeatureReference("item_realtime", "clicks_1h");
    List<FeatureReference> refs = List.of(REFS.get(0), clicks, REFS.get(1));
    AtomicLong nanos = new AtomicLong();
    Ticker ticker =
        new Ticker() {
          @Override
          public long read() {
            return nanos.get();
          }
        };
    CachingFeatureSource cache =
        new CachingFeatureSource(
            store,
            Set.of("item_id"),
            Set.of("item_realtime"),
            Duration.ofMinutes(1),
            Duration.ofSeconds(1),
            1000,
            new SimpleMeterRegistry(),
            ticker);

    cache.read("item_id", new long[] {1, 500}, refs);
    nanos.addAndGet(Duration.ofMillis(900).toNanos());
    FeatureBlock within = cache.read("item_id", new long[] {1, 500}, refs);
    nanos.addAndGet(Duration.ofMillis(200).toNanos());
    FeatureBlock after = cache.read("item_id", new long[] {1, 500}, refs);

    // within the second nothing is read again; after it the stream view alone
    assertThat(store.refsRead)
        .containsExactly(List.of(REFS.get(0), REFS.get(1)), List.of(clicks), List.of(clicks));
    assertThat(within.values()[0])
        .containsExactly("item_profile:1@1", "item_realtime:1@2", "item_popularity:1@1");
    assertThat(after.values()[0])
        .containsExactly("item_profile:1@1", "item_realtime:1@3", "item_popularity:1@1");
    assertThat(after.misses())
        .containsOnly(
            Map.entry("item_profile", 1),
            Map.entry("item_realtime", 1),
            Map.entry("item_popularity", 1));
    assertThat(cache.describe()).contains("(item_realtime for 1000 ms)");

    // a request of the stream view alone shares its cache
    nanos.addAndGet(Duration.ofMillis(500).toNanos());
    assertThat(cache.read("item_id", new long[] {1}, List.of(clicks)).values()[0])
        .containsExactly("item_realtime:1@3");
    assertThat(store.refsRead).hasSize(3);
  }
}
