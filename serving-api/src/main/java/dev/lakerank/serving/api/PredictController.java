package dev.lakerank.serving.api;

import dev.lakerank.serving.api.Requests.PredictBatch;
import dev.lakerank.serving.api.Requests.PredictRow;
import dev.lakerank.serving.api.Responses.Prediction;
import dev.lakerank.serving.api.Responses.Predictions;
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
import java.util.List;

/** Ranker probabilities for explicit rows. */
@Controller("/v1/predict")
@Validated
@ExecuteOn(TaskExecutors.BLOCKING)
@Tag(name = "ranking")
public class PredictController {
  private final RankingService ranking;

  public PredictController(RankingService ranking) {
    this.ranking = ranking;
  }

  @Operation(
      summary = "P(click) for one row",
      description =
          "Inputs given in features (by the ranker's input names) are used as given; the others are read "
              + "online for user_id and item_id when given, or left missing.")
  @Post
  public Prediction predict(@Body @Valid PredictRow row) {
    Predictions one = Predictions.of(ranking.predict("predict", List.of(row.toScoringRow())));
    return new Prediction(
        one.requestId(),
        one.probabilities().get(0),
        one.models(),
        one.featureMisses(),
        one.latencyMs());
  }

  @Operation(summary = "P(click) for up to 1,000 rows, in order")
  @Post("/batch")
  public Predictions batch(@Body @Valid PredictBatch batch) {
    return Predictions.of(
        ranking.predict(
            "predict_batch", batch.rows().stream().map(PredictRow::toScoringRow).toList()));
  }
}
