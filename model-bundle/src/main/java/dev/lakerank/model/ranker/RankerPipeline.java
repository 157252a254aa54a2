package dev.lakerank.model.ranker;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * {@code ranker/pipeline.json}: the inputs in order, the transforms in the order Spark applied
 * them, the column holding the model's feature vector, and the model.
 */
public record RankerPipeline(
    List<Input> inputs,
    List<FeatureTransform> transforms,
    @JsonProperty("features_column") String featuresColumn,
    @JsonProperty("feature_names") List<String> featureNames,
    RankerModel model) {
  public static final String FILE = "ranker/pipeline.json";

  public RankerPipeline {
    inputs = List.copyOf(inputs);
    transforms = List.copyOf(transforms);
    featureNames = featureNames == null ? List.of() : List.copyOf(featureNames);
  }
}
