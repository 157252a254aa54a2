package dev.lakerank.model.bundle;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;

/** What a bundle holds. */
public enum ModelKind {
  /** ALS user and item factors with a popularity fallback: the recommender. */
  ALS("als"),
  /** Binary logistic regression over transformed features: a ranker. */
  LOGISTIC_REGRESSION("logistic_regression"),
  /** Gradient-boosted trees (log loss): a ranker. */
  GBT("gbt"),
  /** Factorization machine classifier: a ranker. */
  FM("fm");

  private final String value;

  ModelKind(String value) {
    this.value = value;
  }

  @JsonValue
  public String value() {
    return value;
  }

  public boolean isRanker() {
    return this != ALS;
  }

  public static ModelKind parse(String text) {
    return Arrays.stream(values())
        .filter(kind -> kind.value.equals(text))
        .findFirst()
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "unknown model kind `"
                        + text
                        + "`; known: "
                        + Arrays.toString(
                            Arrays.stream(values()).map(ModelKind::value).toArray())));
  }

  @JsonCreator
  static ModelKind fromJson(String text) {
    return parse(text);
  }
}
