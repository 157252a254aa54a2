package dev.lakerank.serving.ranking;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A ranked list, as {@link RankingService} computed it: the answer to a recommendation or a ranking
 * call before it is written as JSON.
 *
 * @param requestId the id of the answer in the prediction log
 * @param fallback true when the user is unknown to the recommender and the candidates are the most
 *     popular items
 * @param items the top items, best first
 * @param candidates how many items the ranker scored
 * @param featureMisses per feature view, how many values were missing (unknown entity or stale)
 * @param latencyMicros the time taken to answer
 */
public record RankedItems(
    String requestId,
    long userId,
    boolean fallback,
    List<RankedItem> items,
    int candidates,
    ModelLabels models,
    Map<String, Integer> featureMisses,
    long latencyMicros) {
  public RankedItems {
    items = List.copyOf(items);
    // sorted by view name, as the answer lists them
    featureMisses = Collections.unmodifiableMap(new TreeMap<>(featureMisses));
  }

  /**
   * One ranked item.
   *
   * @param alsScore the recommender's score, null when it knows the user or the item not
   */
  public record RankedItem(long itemId, int rank, double score, Double alsScore) {}
}
