package dev.lakerank.serving.models;

import dev.lakerank.model.als.AlsScorer;
import dev.lakerank.model.als.SeenItems;
import dev.lakerank.model.bundle.ModelBundle;
import dev.lakerank.model.ranker.RankerScorer;
import dev.lakerank.model.registry.ModelRegistry;
import dev.lakerank.model.registry.ModelVersion;
import dev.lakerank.serving.config.ServingConfiguration;
import dev.lakerank.serving.errors.ServingErrors;
import dev.lakerank.serving.features.FeatureSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Context;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.TaskScheduler;
import jakarta.inject.Named;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds the champion models and swaps them when the registry's alias moves.
 *
 * <p>The champions load at start. A poll (every {@code lakerank.serving.poll-interval}) or {@code
 * POST /v1/models/reload} compares the alias with what is loaded; a new version is opened, verified
 * (checksums, kind, the ranker's inputs against the online views) and built off the request path,
 * then swapped in with one reference write. Requests in flight finish with the set they started
 * with. A version that fails to load is refused, its error kept for {@code /v1/models}, and the
 * loaded one keeps serving; it is not retried until the alias moves again.
 */
@Context
public class ModelManager {
  private static final Logger LOG = LoggerFactory.getLogger(ModelManager.class);

  private final ServingConfiguration settings;
  private final ModelRegistry registry;
  private final FeatureSource features;
  private final MeterRegistry meters;
  private final Clock clock;
  private final AtomicReference<ModelSet> current = new AtomicReference<>();
  private final Map<String, Refusal> refusals = new java.util.concurrent.ConcurrentHashMap<>();

  /** Why the registry could not be read the last time, or null. */
  private volatile String unreachable;

  /** A version that failed to load, and why. */
  @io.micronaut.serde.annotation.Serdeable
  public record Refusal(String model, int version, String reason, Instant at) {}

  /** What a reload changed. */
  @io.micronaut.serde.annotation.Serdeable
  public record ReloadResult(
      List<String> loaded, List<Refusal> refused, String recommender, String ranker) {}

  public ModelManager(
      ServingConfiguration settings,
      ModelRegistry registry,
      FeatureSource features,
      MeterRegistry meters,
      Clock clock,
      @Named(TaskExecutors.SCHEDULED) TaskScheduler scheduler) {
    this.settings = settings;
    this.clock = clock;
    this.registry = registry;
    this.features = features;
    this.meters = meters;
    try {
      reload(true);
    } catch (RuntimeException e) {
      // the registry is down or refuses us: start not ready, the poll tries again
      unreachable = e.getMessage();
      LOG.error("cannot read the champions from {}: {}", this.registry.describe(), e.getMessage());
    }
    meters.gauge(
        "lakerank.models.loaded.version",
        List.of(io.micrometer.core.instrument.Tag.of("model", "recommender")),
        current,
        ref -> ref.get() == null ? 0 : ref.get().recommender().version());
    meters.gauge(
        "lakerank.models.loaded.version",
        List.of(io.micrometer.core.instrument.Tag.of("model", "ranker")),
        current,
        ref -> ref.get() == null ? 0 : ref.get().ranker().version());
    scheduler.scheduleWithFixedDelay(settings.pollInterval(), settings.pollInterval(), this::poll);
  }

  /** The models to serve a request with; 503 until both champions are loaded. */
  public ModelSet current() {
    ModelSet set = current.get();
    if (set == null) {
      throw ServingErrors.modelsNotReady(notReadyReason());
    }
    return set;
  }

  /** Whether both champions are loaded. */
  public boolean ready() {
    return current.get() != null;
  }

  /** Why the API is not ready, for 503 bodies and the readiness check. */
  public String notReadyReason() {
    StringBuilder reason =
        new StringBuilder("no champion models loaded yet from the ").append(registry.describe());
    if (unreachable != null) {
      reason.append(" (").append(unreachable).append(')');
    } else if (!refusals.isEmpty()) {
      reason.append(" (refused: ");
      refusals
          .values()
          .forEach(
              r ->
                  reason
                      .append(r.model())
                      .append('@')
                      .append(r.version())
                      .append(": ")
                      .append(r.reason())
                      .append("; "));
      reason.setLength(reason.length() - 2);
      reason.append(')');
    } else {
      reason.append(
          "; train and promote them (`lakerank pipeline run`, or `lakerank models promote`)");
    }
    return reason.toString();
  }

  /** Versions refused since start, by model, the latest of each. */
  public Map<String, Refusal> refusals() {
    return Map.copyOf(refusals);
  }

  /** The registry read, for {@code /v1/models}. */
  public ModelRegistry registry() {
    return registry;
  }

  /** Every {@code lakerank.serving.poll-interval}: the aliases against what is loaded. */
  void poll() {
    try {
      reload(false);
    } catch (RuntimeException e) {
      unreachable = e.getMessage();
      LOG.warn("model poll failed; serving what is loaded: {}", e.getMessage());
    }
  }

  /**
   * Loads what the aliases point to when it differs from what is loaded; serialised.
   *
   * @param retryRefused try again a version refused before (an admin's reload); a poll does not
   */
  public synchronized ReloadResult reload(boolean retryRefused) {
    ModelSet before = current.get();
    List<String> loaded = new ArrayList<>();
    List<Refusal> refused = new ArrayList<>();
    LoadedModel<Candidates> recommender = before == null ? null : before.recommender();
    LoadedModel<RankerScorer> ranker = before == null ? null : before.ranker();
    RankerInputs inputs = before == null ? null : before.inputs();

    Optional<ModelVersion> wantRecommender =
        registry.alias(settings.recommender(), settings.alias());
    unreachable = null;
    if (wantRecommender.isPresent() && wanted(recommender, wantRecommender.get(), retryRefused)) {
      ModelVersion version = wantRecommender.get();
      try {
        ModelBundle bundle = registry.open(version);
        recommender =
            new LoadedModel<>(
                version.model(),
                version.version(),
                bundle.manifest(),
                clock.instant(),
                new Candidates(AlsScorer.load(bundle), SeenItems.load(bundle)));
        loaded.add(recommender.label());
        refusals.remove(version.model());
      } catch (RuntimeException e) {
        refused.add(refuse(version, e));
      }
    }
    Optional<ModelVersion> wantRanker = registry.alias(settings.ranker(), settings.alias());
    if (wantRanker.isPresent() && wanted(ranker, wantRanker.get(), retryRefused)) {
      ModelVersion version = wantRanker.get();
      try {
        ModelBundle bundle = registry.open(version);
        RankerScorer scorer = RankerScorer.load(bundle);
        RankerInputs resolved = RankerInputs.resolve(scorer.inputs(), features.joinKeys());
        ranker =
            new LoadedModel<>(
                version.model(), version.version(), bundle.manifest(), clock.instant(), scorer);
        inputs = resolved;
        loaded.add(ranker.label());
        refusals.remove(version.model());
      } catch (RuntimeException e) {
        refused.add(refuse(version, e));
      }
    }
    if (recommender != null && ranker != null && !loaded.isEmpty()) {
      current.set(new ModelSet(recommender, ranker, inputs));
      LOG.info("serving {} and {}", recommender.label(), ranker.label());
    }
    return new ReloadResult(
        loaded,
        refused,
        recommender == null ? null : recommender.label(),
        ranker == null ? null : ranker.label());
  }

  private boolean wanted(LoadedModel<?> loaded, ModelVersion wanted, boolean retryRefused) {
    if (loaded != null && loaded.version() == wanted.version()) {
      return false;
    }
    Refusal refused = refusals.get(wanted.model());
    return retryRefused || refused == null || refused.version() != wanted.version();
  }

  private Refusal refuse(ModelVersion version, RuntimeException e) {
    Refusal previous = refusals.get(version.model());
    Refusal refusal =
        new Refusal(version.model(), version.version(), e.getMessage(), clock.instant());
    if (previous == null || previous.version() != version.version()) {
      LOG.error(
          "refused {}@{}: {}; still serving what was loaded",
          version.model(),
          version.version(),
          e.getMessage());
      meters.counter("lakerank.models.refused", "model", version.model()).increment();
    }
    refusals.put(version.model(), refusal);
    return refusal;
  }

  /** Model name to the labels of what is loaded, for logs. */
  public Map<String, String> labels() {
    ModelSet set = current.get();
    Map<String, String> labels = new LinkedHashMap<>();
    if (set != null) {
      labels.put(set.recommender().name(), set.recommender().label());
      labels.put(set.ranker().name(), set.ranker().label());
    }
    return labels;
  }
}
