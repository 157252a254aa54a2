package dev.lakerank.serving.features;

import dev.lakerank.featurestore.definition.FeatureReference;
import java.util.List;
import java.util.Map;

/**
 * Online feature values for rows of one entity.
 *
 * @param refs the features, in the order of each row's values
 * @param values {@code values[row][feature]}: a {@code Long}, {@code Double}, {@code String}, ...;
 *     null when not PRESENT (unknown entity, null value, or older than the view's ttl)
 * @param misses per feature view, how many values were not PRESENT
 */
public record FeatureBlock(List<FeatureReference> refs, Object[][] values, Map<String, Integer> misses) {}
