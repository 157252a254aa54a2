package dev.lakerank.featurestore.definition;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * A named set of features that one model consumes, in a fixed order (Feast's feature service). The
 * ranker's training set and its online lookups both read the features through it.
 */
public record FeatureService(
    String name, List<FeatureViewProjection> projections, String description) {
  public FeatureService {
    requireNonNull(name, "name");
    projections = List.copyOf(projections);
    description = description == null ? "" : description;
  }

  /** Every feature the service names, in order. */
  public List<FeatureReference> references() {
    return projections.stream()
        .flatMap(p -> p.features().stream().map(f -> new FeatureReference(p.featureView(), f)))
        .toList();
  }
}
