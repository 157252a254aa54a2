package dev.lakerank.featurestore.definition;

import static java.util.Objects.requireNonNull;

/** A feature column of a feature view and its type (Feast's {@code FeatureSpecV2}). */
public record Feature(String name, ValueType valueType) implements java.io.Serializable {
  public Feature {
    requireNonNull(name, "name");
    requireNonNull(valueType, "valueType");
  }
}
