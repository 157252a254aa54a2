package dev.lakerank.model.bundle;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code evaluation.json} in a bundle: the held-out evaluation behind the manifest's metrics, with
 * the curves a report draws.
 *
 * @param metrics the same figures as the manifest's
 * @param roc ranker: (false positive rate, true positive rate), increasing x
 * @param pr ranker: (recall, precision)
 * @param calibration ranker: reliability bins
 * @param atK recommender: metric name (precision, recall, ndcg, map, hit_rate) to value by K
 * @param featureImportance ranker: feature name to importance (trees: Spark's importances; linear:
 *     |coefficient| on scaled features), largest first
 * @param notes what a reader should know (split, sizes, oracle)
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Evaluation(
    Map<String, Double> metrics,
    List<Point> roc,
    List<Point> pr,
    List<CalibrationBin> calibration,
    @JsonProperty("at_k") Map<String, Map<Integer, Double>> atK,
    @JsonProperty("feature_importance") Map<String, Double> featureImportance,
    List<String> notes) {
  public static final String FILE = "evaluation.json";

  public Evaluation {
    metrics =
        metrics == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
    roc = roc == null ? List.of() : List.copyOf(roc);
    pr = pr == null ? List.of() : List.copyOf(pr);
    calibration = calibration == null ? List.of() : List.copyOf(calibration);
    Map<String, Map<Integer, Double>> byK = new LinkedHashMap<>();
    if (atK != null) {
      atK.forEach(
          (name, values) -> byK.put(name, Collections.unmodifiableMap(new TreeMap<>(values))));
    }
    atK = Collections.unmodifiableMap(byK);
    featureImportance =
        featureImportance == null
            ? Map.of()
            : Collections.unmodifiableMap(new LinkedHashMap<>(featureImportance));
    notes = notes == null ? List.of() : List.copyOf(notes);
  }

  public record Point(double x, double y) {}

  /**
   * Rows whose predicted probability fell in [lower, upper): their mean prediction and the share
   * that were positive.
   */
  public record CalibrationBin(
      double lower,
      double upper,
      long count,
      @JsonProperty("mean_predicted") double meanPredicted,
      @JsonProperty("observed_rate") double observedRate) {}
}
