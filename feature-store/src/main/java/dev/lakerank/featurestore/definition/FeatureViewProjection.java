package dev.lakerank.featurestore.definition;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * The features a feature service takes from one feature view (Feast's {@code
 * FeatureViewProjection}).
 */
public record FeatureViewProjection(String featureView, List<String> features) {
  public FeatureViewProjection {
    requireNonNull(featureView, "featureView");
    features = List.copyOf(features);
  }
}
