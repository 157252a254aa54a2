package dev.lakerank.serving.api;

import dev.lakerank.serving.api.Requests.Feedback;
import dev.lakerank.serving.api.Responses.FeedbackAccepted;
import dev.lakerank.serving.log.FeedbackEntry;
import dev.lakerank.serving.log.PredictionLogger;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import io.micronaut.validation.Validated;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import java.time.Instant;

/**
 * Clicks, purchases, dismissals and ratings on answered items, recorded for monitoring and
 * training.
 */
@Controller("/v1/feedback")
@Validated
@Tag(name = "feedback")
public class FeedbackController {
  private final PredictionLogger log;
  private final MeterRegistry meters;

  public FeedbackController(PredictionLogger log, MeterRegistry meters) {
    this.log = log;
    this.meters = meters;
  }

  @Operation(
      summary = "Record what the user did with an answered item",
      description =
          "Answers 202 at once; recorded=false when the log buffer was full (counted in lakerank.log.dropped).")
  @Post
  public HttpResponse<FeedbackAccepted> feedback(@Body @Valid Feedback feedback) {
    meters.counter("lakerank.serving.feedback", "event", feedback.event()).increment();
    boolean recorded =
        log.record(
            new FeedbackEntry(
                null,
                feedback.requestId(),
                feedback.itemId(),
                feedback.event(),
                feedback.value(),
                Instant.now()));
    return HttpResponse.accepted()
        .body(
            new FeedbackAccepted(
                feedback.requestId(), feedback.itemId(), feedback.event(), recorded));
  }
}
