package dev.lakerank.serving.api;

import dev.lakerank.serving.features.FeatureSource;
import dev.lakerank.serving.log.PredictionLogger;
import dev.lakerank.serving.models.ModelManager;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.HealthIndicator;
import io.micronaut.management.health.indicator.HealthResult;
import io.micronaut.management.health.indicator.annotation.Readiness;
import jakarta.inject.Singleton;
import java.util.LinkedHashMap;
import java.util.Map;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * {@code /health/readiness}: UP only when both champions are loaded and the online features answer;
 * the details say which part is missing. The details also show each prediction-log sink's state
 * ({@code log}); logging is best effort, so a failing sink does not make the API unready.
 */
@Singleton
@Readiness
public class ReadinessCheck implements HealthIndicator {
  private final ModelManager models;
  private final FeatureSource features;
  private final PredictionLogger log;

  public ReadinessCheck(ModelManager models, FeatureSource features, PredictionLogger log) {
    this.models = models;
    this.features = features;
    this.log = log;
  }

  @Override
  public Publisher<HealthResult> getResult() {
    return Mono.fromCallable(this::check).subscribeOn(Schedulers.boundedElastic());
  }

  private HealthResult check() {
    Map<String, Object> details = new LinkedHashMap<>();
    boolean up = models.ready();
    details.put("models", up ? models.labels() : models.notReadyReason());
    try {
      features.ping();
      details.put("features", features.describe());
    } catch (RuntimeException e) {
      up = false;
      details.put("features", e.getMessage());
    }
    details.put("log", log.sinkStates());
    return HealthResult.builder("lakerank", up ? HealthStatus.UP : HealthStatus.DOWN)
        .details(details)
        .build();
  }
}
