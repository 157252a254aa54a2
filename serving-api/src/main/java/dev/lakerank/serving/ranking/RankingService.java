package dev.lakerank.serving.ranking;

import dev.lakerank.featurestore.definition.FeatureReference;
import dev.lakerank.model.als.AlsScorer;
import dev.lakerank.model.als.Recommendation;
import dev.lakerank.model.als.Recommendations;
import dev.lakerank.serving.config.ServingConfiguration;
import dev.lakerank.serving.errors.ServingErrors;
import dev.lakerank.serving.features.FeatureBlock;
import dev.lakerank.serving.features.FeatureSource;
import dev.lakerank.serving.log.PredictionEntry;
import dev.lakerank.serving.log.PredictionLogger;
import dev.lakerank.serving.models.Candidates;
import dev.lakerank.serving.models.ModelManager;
import dev.lakerank.serving.models.ModelSet;
import dev.lakerank.serving.models.RankerInputs;
import dev.lakerank.serving.ranking.RankedItems.RankedItem;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Recommendations, ranking and predictions with the models loaded now: ALS candidates (exact top N,
 * seen items left out; popular items for a user ALS does not know), online features for the user
 * and the items, ranker scores. Every answer is timed per endpoint and model versions, and offered
 * to the prediction log.
 */
@Singleton
public class RankingService {
  private final ModelManager models;
  private final FeatureSource features;
  private final PredictionLogger log;
  private final MeterRegistry meters;
  private final ServingConfiguration settings;
  private final Clock clock;

  public RankingService(
      ModelManager models,
      FeatureSource features,
      PredictionLogger log,
      MeterRegistry meters,
      ServingConfiguration settings) {
    this.models = models;
    this.features = features;
    this.log = log;
    this.meters = meters;
    this.settings = settings;
    this.clock = features.clock();
  }

  /** The top {@code k} items for a user: ALS candidates re-ranked by the ranker. */
  public RankedItems recommend(long userId, int k, Map<String, Object> context) {
    long start = System.nanoTime();
    ModelSet set = models.current();
    checkGiven(set, "context", context, true);
    Candidates candidates = set.recommender().scorer();
    Recommendations top =
        candidates
            .als()
            .recommend(
                userId,
                Math.max(k, settings.candidates()),
                item -> candidates.seen().contains(userId, item));
    long[] items = top.items().stream().mapToLong(Recommendation::itemId).toArray();
    if (top.fallback()) {
      meters.counter("lakerank.serving.fallbacks").increment();
    }
    return rank("recommendations", set, userId, items, k, top.fallback(), context, start);
  }

  /** The given items ranked for a user (all of them). */
  public RankedItems rank(long userId, List<Long> itemIds, Map<String, Object> context) {
    long start = System.nanoTime();
    ModelSet set = models.current();
    checkGiven(set, "context", context, true);
    long[] items = itemIds.stream().mapToLong(Long::longValue).toArray();
    Set<Long> distinct = new HashSet<>();
    for (long item : items) {
      if (!distinct.add(item)) {
        throw ServingErrors.invalidRequest(
            "item_ids holds " + item + " more than once; send each item once");
      }
    }
    return rank("rank", set, userId, items, items.length, false, context, start);
  }

  private RankedItems rank(
      String endpoint,
      ModelSet set,
      long userId,
      long[] items,
      int k,
      boolean fallback,
      Map<String, Object> context,
      long start) {
    RankerInputs inputs = set.inputs();
    Instant at = RankerInputs.time(context, clock.instant());
    Map<String, Integer> misses = new TreeMap<>();
    Object[] user = null;
    if (!inputs.userRefs().isEmpty()) {
      user = read("user_id", new long[] {userId}, inputs.userRefs(), misses).values()[0];
    }
    Object[][] itemValues =
        inputs.itemRefs().isEmpty() || items.length == 0
            ? new Object[items.length][]
            : read("item_id", items, inputs.itemRefs(), misses).values();
    AlsScorer als = set.recommender().scorer().als();
    float[] alsScores = als.scores(userId, items);
    Object[][] rows = new Object[items.length][];
    for (int i = 0; i < items.length; i++) {
      rows[i] = inputs.row(user, itemValues[i], alsScores[i], context, at);
    }
    double[] scores = set.ranker().scorer().score(rows);
    Integer[] order = new Integer[items.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Arrays.sort(
        order,
        (a, b) ->
            scores[a] != scores[b]
                ? Double.compare(scores[b], scores[a])
                : Long.compare(items[a], items[b]));
    int n = Math.min(k, items.length);
    List<RankedItem> ranked = new ArrayList<>(n);
    for (int r = 0; r < n; r++) {
      int i = order[r];
      ranked.add(
          new RankedItem(
              items[i],
              r + 1,
              scores[i],
              Float.isNaN(alsScores[i]) ? null : (double) alsScores[i]));
    }
    ModelLabels used = new ModelLabels(set.recommender().label(), set.ranker().label());
    String requestId = UUID.randomUUID().toString();
    long micros = finish(endpoint, used, fallback, start);
    log.record(
        new PredictionEntry(
            null,
            requestId,
            endpoint,
            userId,
            json(ranked.stream().mapToLong(RankedItem::itemId).toArray()),
            json(ranked.stream().mapToDouble(RankedItem::score).toArray()),
            used.recommender(),
            used.ranker(),
            fallback,
            micros,
            Instant.now()));
    return new RankedItems(requestId, userId, fallback, ranked, items.length, used, misses, micros);
  }

  /**
   * Ranker probabilities for explicit rows: inputs given by name, the rest read online for the ids
   * given.
   */
  public Probabilities predict(String endpoint, List<ScoringRow> rows) {
    long start = System.nanoTime();
    ModelSet set = models.current();
    RankerInputs inputs = set.inputs();
    for (int r = 0; r < rows.size(); r++) {
      checkGiven(
          set,
          rows.size() == 1 && endpoint.equals("predict") ? "features" : "rows[" + r + "].features",
          rows.get(r).features(),
          false);
    }
    Map<String, Integer> misses = new TreeMap<>();
    Map<Long, Object[]> users =
        readDistinct(
            "user_id", rows.stream().map(ScoringRow::userId).toList(), inputs.userRefs(), misses);
    Map<Long, Object[]> items =
        readDistinct(
            "item_id", rows.stream().map(ScoringRow::itemId).toList(), inputs.itemRefs(), misses);
    AlsScorer als = set.recommender().scorer().als();
    Instant at = clock.instant();
    Object[][] values = new Object[rows.size()][];
    for (int r = 0; r < rows.size(); r++) {
      ScoringRow row = rows.get(r);
      double alsScore =
          row.userId() != null && row.itemId() != null
              ? als.score(row.userId(), row.itemId())
              : Double.NaN;
      values[r] =
          inputs.row(
              row.userId() == null ? null : users.get(row.userId()),
              row.itemId() == null ? null : items.get(row.itemId()),
              alsScore,
              row.features(),
              at);
    }
    double[] scores = set.ranker().scorer().score(values);
    ModelLabels used = new ModelLabels(null, set.ranker().label());
    String requestId = UUID.randomUUID().toString();
    long micros = finish(endpoint, used, false, start);
    long[] itemIds =
        rows.stream().mapToLong(row -> row.itemId() == null ? -1 : row.itemId()).toArray();
    Long userId = rows.size() == 1 ? rows.get(0).userId() : null;
    log.record(
        new PredictionEntry(
            null,
            requestId,
            endpoint,
            userId,
            json(itemIds),
            json(scores),
            null,
            used.ranker(),
            false,
            micros,
            Instant.now()));
    List<Double> probabilities = new ArrayList<>(scores.length);
    for (double score : scores) {
      probabilities.add(score);
    }
    return new Probabilities(requestId, probabilities, used, misses, micros);
  }

  private void checkGiven(
      ModelSet set, String field, Map<String, Object> given, boolean allowTimestamp) {
    String problem = set.inputs().check(field, given, allowTimestamp);
    if (problem != null) {
      throw ServingErrors.invalidRequest(problem);
    }
  }

  private Map<Long, Object[]> readDistinct(
      String joinKey, List<Long> ids, List<FeatureReference> refs, Map<String, Integer> misses) {
    long[] distinct =
        ids.stream()
            .filter(java.util.Objects::nonNull)
            .distinct()
            .mapToLong(Long::longValue)
            .toArray();
    Map<Long, Object[]> byId = new HashMap<>();
    if (distinct.length == 0 || refs.isEmpty()) {
      return byId;
    }
    Object[][] values = read(joinKey, distinct, refs, misses).values();
    for (int i = 0; i < distinct.length; i++) {
      byId.put(distinct[i], values[i]);
    }
    return byId;
  }

  private FeatureBlock read(
      String joinKey, long[] ids, List<FeatureReference> refs, Map<String, Integer> misses) {
    FeatureBlock block = features.read(joinKey, ids, refs);
    block
        .misses()
        .forEach(
            (view, count) -> {
              misses.merge(view, count, Integer::sum);
              meters.counter("lakerank.serving.feature.misses", "view", view).increment(count);
            });
    return block;
  }

  private long finish(String endpoint, ModelLabels used, boolean fallback, long start) {
    long nanos = System.nanoTime() - start;
    Timer.builder("lakerank.serving.latency")
        .description("Time to answer, by endpoint and the model versions that answered")
        .tags(
            "endpoint",
            endpoint,
            "recommender",
            used.recommender() == null ? "none" : used.recommender(),
            "ranker",
            used.ranker(),
            "fallback",
            Boolean.toString(fallback))
        .publishPercentileHistogram()
        .register(meters)
        .record(nanos, TimeUnit.NANOSECONDS);
    return TimeUnit.NANOSECONDS.toMicros(nanos);
  }

  private static String json(long[] values) {
    StringBuilder text = new StringBuilder("[");
    for (int i = 0; i < values.length; i++) {
      text.append(i == 0 ? "" : ",").append(values[i]);
    }
    return text.append(']').toString();
  }

  private static String json(double[] values) {
    StringBuilder text = new StringBuilder("[");
    for (int i = 0; i < values.length; i++) {
      text.append(i == 0 ? "" : ",")
          .append(Double.isFinite(values[i]) ? Double.toString(values[i]) : "null");
    }
    return text.append(']').toString();
  }
}
