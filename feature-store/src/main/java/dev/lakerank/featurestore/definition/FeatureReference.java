package dev.lakerank.featurestore.definition;

import static java.util.Objects.requireNonNull;

import dev.lakerank.featurestore.errors.DefinitionException;
import dev.lakerank.featurestore.errors.FeatureStoreErrors;

/**
 * A reference to one feature, written {@code "<feature view>:<feature>"} as in Feast.
 *
 * <p>{@link #fullName()} is the column name Feast gives the feature with {@code
 * full_feature_names=True}: {@code <feature view>__<feature>}.
 */
public record FeatureReference(String featureView, String feature) {
  public FeatureReference {
    requireNonNull(featureView, "featureView");
    requireNonNull(feature, "feature");
  }

  /**
   * Parses {@code "user_activity:clicks_7d"}.
   *
   * @throws DefinitionException when the text is not of that form
   */
  public static FeatureReference parse(String text) {
    int colon = text.indexOf(':');
    if (colon <= 0 || colon == text.length() - 1 || text.indexOf(':', colon + 1) >= 0) {
      throw FeatureStoreErrors.invalidDefinition(
          "feature reference `"
              + text
              + "` is not of the form <feature view>:<feature>, "
              + "for example user_activity:clicks_7d");
    }
    return new FeatureReference(text.substring(0, colon), text.substring(colon + 1));
  }

  /** The column name with the view as prefix, as Feast's {@code full_feature_names}. */
  public String fullName() {
    return featureView + "__" + feature;
  }

  @Override
  public String toString() {
    return featureView + ":" + feature;
  }
}
