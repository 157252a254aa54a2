package dev.lakerank.serving.api;

import dev.lakerank.serving.api.Responses.Ranked;
import dev.lakerank.serving.ranking.RankingService;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.validation.Validated;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.PositiveOrZero;

/**
 * {@code GET /v1/recommendations/{userId}}. Blocking work (the online store) runs off the event
 * loop.
 */
@Controller("/v1/recommendations")
@Validated
@ExecuteOn(TaskExecutors.BLOCKING)
@Tag(name = "ranking")
public class RecommendationsController {
  private final RankingService ranking;

  public RecommendationsController(RankingService ranking) {
    this.ranking = ranking;
  }

  @Operation(
      summary = "The top k items for a user",
      description =
          "ALS candidates (exact top N over all items, items the user has seen left out), online features for "
              + "the user and the candidates, ranker scores. A user ALS does not know gets the most popular items, "
              + "flagged as fallback.")
  @Get("/{userId}")
  public Ranked recommend(
      @PathVariable @PositiveOrZero long userId,
      @QueryValue(defaultValue = "10") @Min(1) @Max(1000) int k) {
    return Ranked.of(ranking.recommend(userId, k, null));
  }
}
