package dev.lakerank.serving.ranking;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Ranker probabilities for explicit rows, in the order of the rows.
 *
 * @param featureMisses per feature view, how many values were missing (unknown entity or stale)
 */
public record Probabilities(
    String requestId,
    List<Double> values,
    ModelLabels models,
    Map<String, Integer> featureMisses,
    long latencyMicros) {
  public Probabilities {
    values = List.copyOf(values);
    // sorted by view name, as the answer lists them
    featureMisses = Collections.unmodifiableMap(new TreeMap<>(featureMisses));
  }
}
