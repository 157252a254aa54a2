package dev.lakerank.serving.api;

import dev.lakerank.serving.api.Requests.RankRequest;
import dev.lakerank.serving.api.Responses.Ranked;
import dev.lakerank.serving.ranking.RankingService;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.validation.Validated;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;

/** {@code POST /v1/rank}: the feed-ranking call. */
@Controller("/v1/rank")
@Validated
@ExecuteOn(TaskExecutors.BLOCKING)
@Tag(name = "ranking")
public class RankController {
  private final RankingService ranking;

  public RankController(RankingService ranking) {
    this.ranking = ranking;
  }

  @Operation(summary = "Rank the given items for a user (the feed-ranking call)")
  @Post
  public Ranked rank(@Body @Valid RankRequest request) {
    return Ranked.of(ranking.rank(request.userId(), request.itemIds(), request.context()));
  }
}
