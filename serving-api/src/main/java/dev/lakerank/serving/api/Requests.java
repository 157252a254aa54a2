package dev.lakerank.serving.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.lakerank.contract.messages.FeedbackMessage;
import dev.lakerank.serving.ranking.ScoringRow;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.Map;

/**
 * The JSON bodies the API takes. Limits here are the documented ones; violations answer 400 naming
 * the field.
 */
public final class Requests {
  private Requests() {}

  /** The most item ids in one rank call and rows in one predict batch. */
  public static final int MAX_ITEMS = 1000;

  /**
   * {@code POST /v1/rank}: rank the given items for a user.
   *
   * @param context values for the ranker's context inputs (such as {@code device}), and {@code
   *     timestamp} (ISO-8601, default now) for the hour and day inputs
   */
  @Serdeable
  public record RankRequest(
      @JsonProperty("user_id") @NotNull @PositiveOrZero Long userId,
      @JsonProperty("item_ids") @NotEmpty @Size(max = MAX_ITEMS)
          List<@NotNull @PositiveOrZero Long> itemIds,
      @Nullable Map<String, Object> context) {}

  /**
   * One row to score. Inputs given in {@code features} (by the ranker's input names, such as {@code
   * user_activity:ctr_7d} or {@code device}) are used as given; the others are read online for the
   * ids given, or missing.
   */
  @Serdeable
  public record PredictRow(
      @JsonProperty("user_id") @Nullable @PositiveOrZero Long userId,
      @JsonProperty("item_id") @Nullable @PositiveOrZero Long itemId,
      @Nullable Map<String, Object> features) {
    ScoringRow toScoringRow() {
      return new ScoringRow(userId, itemId, features);
    }
  }

  /** {@code POST /v1/predict/batch}. */
  @Serdeable
  public record PredictBatch(
      @NotEmpty @Size(max = MAX_ITEMS) List<@NotNull @Valid PredictRow> rows) {}

  /** {@code POST /v1/feedback}: what the user did with an item a response showed. */
  @Serdeable
  public record Feedback(
      @JsonProperty("request_id") @NotBlank @Size(max = 64) String requestId,
      @JsonProperty("item_id") @NotNull @PositiveOrZero Long itemId,
      @NotNull
          @Pattern(
              regexp = FeedbackMessage.EVENT_PATTERN,
              message = "must be one of click, purchase, dismiss, rating")
          String event,
      @Nullable Double value) {}
}
