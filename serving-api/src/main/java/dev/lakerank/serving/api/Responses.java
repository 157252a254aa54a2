package dev.lakerank.serving.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.lakerank.serving.ranking.ModelLabels;
import dev.lakerank.serving.ranking.Probabilities;
import dev.lakerank.serving.ranking.RankedItems;
import io.micronaut.serde.annotation.Serdeable;
import java.util.List;
import java.util.Map;

/** The JSON bodies the API answers with. */
public final class Responses {
  private Responses() {}

  /** The model versions that answered ({@code name@version}). */
  @Serdeable
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record ModelsUsed(String recommender, String ranker) {
    static ModelsUsed of(ModelLabels labels) {
      return new ModelsUsed(labels.recommender(), labels.ranker());
    }
  }

  /** One ranked item. {@code als_score} is absent when ALS knows the user or the item not. */
  @Serdeable
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record ScoredItem(
      @JsonProperty("item_id") long itemId,
      int rank,
      double score,
      @JsonProperty("als_score") Double alsScore) {}

  /**
   * A ranked list: {@code GET /v1/recommendations/{userId}} and {@code POST /v1/rank}.
   *
   * @param fallback true when the user is unknown to ALS and the candidates are the most popular
   *     items
   * @param candidates how many items the ranker scored
   * @param featureMisses per feature view, how many values were missing (unknown entity or stale)
   */
  @Serdeable
  public record Ranked(
      @JsonProperty("request_id") String requestId,
      @JsonProperty("user_id") long userId,
      boolean fallback,
      List<ScoredItem> items,
      int candidates,
      ModelsUsed models,
      @JsonProperty("feature_misses") Map<String, Integer> featureMisses,
      @JsonProperty("latency_ms") double latencyMs) {
    static Ranked of(RankedItems ranked) {
      return new Ranked(
          ranked.requestId(),
          ranked.userId(),
          ranked.fallback(),
          ranked.items().stream()
              .map(
                  item -> new ScoredItem(item.itemId(), item.rank(), item.score(), item.alsScore()))
              .toList(),
          ranked.candidates(),
          ModelsUsed.of(ranked.models()),
          ranked.featureMisses(),
          ranked.latencyMicros() / 1000.0);
    }
  }

  /** Ranker probabilities for explicit rows, in request order. */
  @Serdeable
  public record Predictions(
      @JsonProperty("request_id") String requestId,
      List<Double> probabilities,
      ModelsUsed models,
      @JsonProperty("feature_misses") Map<String, Integer> featureMisses,
      @JsonProperty("latency_ms") double latencyMs) {
    static Predictions of(Probabilities probabilities) {
      return new Predictions(
          probabilities.requestId(),
          probabilities.values(),
          ModelsUsed.of(probabilities.models()),
          probabilities.featureMisses(),
          probabilities.latencyMicros() / 1000.0);
    }
  }

  /** One prediction ({@code POST /v1/predict}). */
  @Serdeable
  public record Prediction(
      @JsonProperty("request_id") String requestId,
      double probability,
      ModelsUsed models,
      @JsonProperty("feature_misses") Map<String, Integer> featureMisses,
      @JsonProperty("latency_ms") double latencyMs) {}

  /** Feedback taken for recording. */
  @Serdeable
  public record FeedbackAccepted(
      @JsonProperty("request_id") String requestId,
      @JsonProperty("item_id") long itemId,
      String event,
      boolean recorded) {}
}
