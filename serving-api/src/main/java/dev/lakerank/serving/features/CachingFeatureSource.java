package dev.lakerank.serving.features;

import com.google.common.base.Ticker;
import com.google.common.cache.Cache;
import com.google.common.cache.CacheBuilder;
import dev.lakerank.featurestore.definition.FeatureReference;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps the rows of some entities (by default the items) in this process for a while, so a
 * recommendation reads only its user from the store and not its 200 candidates. Item features
 * change when materialization runs (daily), not per request; a row may be up to {@code ttl} older
 * than the store, statuses included (a row that aged past its view's ttl in the meantime still
 * counts as present until it expires here). Unknown ids are cached too, as all-missing rows.
 *
 * <p>The features of the views in {@code liveViews} (the stream feature views, which {@code
 * lakerank stream features} updates within seconds of an event) are kept apart for {@code liveTtl}
 * only (a second by default: well under the seconds an event takes to reach the store, and it
 * spares the store a read of every candidate on every request), or, when it is zero, read from the
 * store on every request; the rest of the row comes from the longer-lived cache.
 */
public final class CachingFeatureSource implements FeatureSource {
  private final FeatureSource delegate;
  private final Set<String> cachedKeys;
  private final Set<String> liveViews;
  private final Duration ttl;
  private final Duration liveTtl;
  private final long maxRows;
  private final Ticker ticker;
  private final Map<List<FeatureReference>, Cache<Long, Object[]>> caches =
      new ConcurrentHashMap<>();
  private final Counter hits;
  private final Counter misses;

  public CachingFeatureSource(
      FeatureSource delegate,
      Set<String> cachedKeys,
      Set<String> liveViews,
      Duration ttl,
      Duration liveTtl,
      long maxRows,
      MeterRegistry meters) {
    this(delegate, cachedKeys, liveViews, ttl, liveTtl, maxRows, meters, Ticker.systemTicker());
  }

  /** With the ticker the cache's ttls are measured on (tests). */
  public CachingFeatureSource(
      FeatureSource delegate,
      Set<String> cachedKeys,
      Set<String> liveViews,
      Duration ttl,
      Duration liveTtl,
      long maxRows,
      MeterRegistry meters,
      Ticker ticker) {
    this.delegate = delegate;
    this.cachedKeys = Set.copyOf(cachedKeys);
    this.liveViews = Set.copyOf(liveViews);
    this.ttl = ttl;
    this.liveTtl = liveTtl;
    this.maxRows = maxRows;
    this.ticker = ticker;
    this.hits = meters.counter("lakerank.features.cache", "result", "hit");
    this.misses = meters.counter("lakerank.features.cache", "result", "miss");
  }

  @Override
  public FeatureBlock read(String joinKey, long[] ids, List<FeatureReference> refs) {
    if (!cachedKeys.contains(joinKey)) {
      return delegate.read(joinKey, ids, refs);
    }
    List<FeatureReference> live =
        refs.stream().filter(ref -> liveViews.contains(ref.featureView())).toList();
    if (live.isEmpty()) {
      return readCached(joinKey, ids, refs, ttl);
    }
    if (live.size() == refs.size()) {
      return readLive(joinKey, ids, refs);
    }
    List<FeatureReference> kept =
        refs.stream().filter(ref -> !liveViews.contains(ref.featureView())).toList();
    FeatureBlock cached = readCached(joinKey, ids, kept, ttl);
    FeatureBlock fresh = readLive(joinKey, ids, live);
    // the two parts back into the order of refs
    Object[][] values = new Object[ids.length][refs.size()];
    for (int f = 0, c = 0, l = 0; f < refs.size(); f++) {
      boolean isLive = liveViews.contains(refs.get(f).featureView());
      int from = isLive ? l++ : c++;
      for (int i = 0; i < ids.length; i++) {
        values[i][f] = (isLive ? fresh : cached).values()[i][from];
      }
    }
    Map<String, Integer> absent = new HashMap<>(cached.misses());
    fresh.misses().forEach((view, count) -> absent.merge(view, count, Integer::sum));
    return new FeatureBlock(refs, values, absent);
  }

  private FeatureBlock readLive(String joinKey, long[] ids, List<FeatureReference> live) {
    return liveTtl.isZero()
        ? delegate.read(joinKey, ids, live)
        : readCached(joinKey, ids, live, liveTtl);
  }

  /**
   * {@code refs} of one kind only (all live or none), so each list of refs has one cache and one
   * ttl.
   */
  private FeatureBlock readCached(
      String joinKey, long[] ids, List<FeatureReference> refs, Duration expiry) {
    Cache<Long, Object[]> cache =
        caches.computeIfAbsent(
            List.copyOf(refs),
            r ->
                CacheBuilder.newBuilder()
                    .expireAfterWrite(expiry)
                    .maximumSize(maxRows)
                    .ticker(ticker)
                    .build());
    Object[][] values = new Object[ids.length][];
    int missing = 0;
    for (int i = 0; i < ids.length; i++) {
      values[i] = cache.getIfPresent(ids[i]);
      if (values[i] == null) {
        missing++;
      }
    }
    if (missing > 0) {
      long[] toRead = new long[missing];
      int[] at = new int[missing];
      for (int i = 0, m = 0; i < ids.length; i++) {
        if (values[i] == null) {
          toRead[m] = ids[i];
          at[m++] = i;
        }
      }
      FeatureBlock read = delegate.read(joinKey, toRead, refs);
      for (int m = 0; m < missing; m++) {
        values[at[m]] = read.values()[m];
        cache.put(toRead[m], read.values()[m]);
      }
    }
    hits.increment(ids.length - missing);
    misses.increment(missing);
    Map<String, Integer> absent = new HashMap<>();
    for (Object[] row : values) {
      for (int f = 0; f < refs.size(); f++) {
        if (row[f] == null) {
          absent.merge(refs.get(f).featureView(), 1, Integer::sum);
        }
      }
    }
    return new FeatureBlock(refs, values, absent);
  }

  @Override
  public Map<String, String> joinKeys() {
    return delegate.joinKeys();
  }

  @Override
  public void ping() {
    delegate.ping();
  }

  @Override
  public Clock clock() {
    return delegate.clock();
  }

  @Override
  public String describe() {
    String live = String.join(", ", liveViews.stream().sorted().toList());
    return delegate.describe()
        + ", "
        + cachedKeys
        + " rows cached for "
        + ttl.toSeconds()
        + " s"
        + (liveViews.isEmpty()
            ? ""
            : liveTtl.isZero()
                ? " (not " + live + ")"
                : " (" + live + " for " + liveTtl.toMillis() + " ms)");
  }

  @Override
  public void close() {
    delegate.close();
  }
}
