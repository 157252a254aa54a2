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
public record FeatureBlock(
    List<FeatureReference> refs, Object[][] values, Map<String, Integer> misses) {
  /**
   * What a store answered for one row and one feature: the value when its status is PRESENT, else
   * null.
   */
  public interface Answer {
    feast.proto.types.ValueProto.Value presentValue(int row, int feature);
  }

  /**
   * The block of {@code rows} rows: present values converted to Java values, the others counted as
   * misses.
   */
  public static FeatureBlock of(List<FeatureReference> refs, int rows, Answer answer) {
    Object[][] values = new Object[rows][refs.size()];
    Map<String, Integer> misses = new java.util.HashMap<>();
    for (int row = 0; row < rows; row++) {
      for (int f = 0; f < refs.size(); f++) {
        feast.proto.types.ValueProto.Value value = answer.presentValue(row, f);
        if (value != null) {
          values[row][f] = dev.lakerank.featurestore.format.FeatureValues.fromProto(value);
        } else {
          misses.merge(refs.get(f).featureView(), 1, Integer::sum);
        }
      }
    }
    return new FeatureBlock(refs, values, misses);
  }
}
