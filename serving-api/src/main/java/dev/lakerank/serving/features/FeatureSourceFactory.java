package dev.lakerank.serving.features;

import dev.lakerank.featurestore.FeatureStoreLocation;
import dev.lakerank.featurestore.definition.FeatureRepository;
import dev.lakerank.featurestore.definition.FeatureView;
import dev.lakerank.featurestore.online.OnlineStore;
import dev.lakerank.featurestore.registry.FeastRegistry;
import dev.lakerank.featurestore.retrieval.OnlineFeatureService;
import dev.lakerank.serving.config.FeatureConfiguration;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.exceptions.ConfigurationException;
import jakarta.inject.Singleton;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Builds the configured {@link FeatureSource}. */
@Factory
public class FeatureSourceFactory {
  @Singleton
  @Bean(preDestroy = "close")
  FeatureSource featureSource(FeatureConfiguration settings, MeterRegistry meters, Clock clock) {
    FeatureSource source = uncached(settings, clock);
    if (settings.cacheKeys().isEmpty() || settings.cacheTtl().isZero()) {
      return source;
    }
    // the stream views change within seconds of an event: cached for stream-cache-ttl only
    Set<String> liveViews = new HashSet<>();
    FeatureRepository.load(Path.of(settings.repo())).featureViews().stream()
        .filter(FeatureView::isStream)
        .forEach(view -> liveViews.add(view.name()));
    return new CachingFeatureSource(
        source,
        new HashSet<>(settings.cacheKeys()),
        liveViews,
        settings.cacheTtl(),
        settings.streamCacheTtl(),
        settings.cacheRows(),
        meters);
  }

  private static FeatureSource uncached(FeatureConfiguration settings, Clock clock) {
    Path repo = Path.of(settings.repo());
    if (!Files.isRegularFile(repo.resolve(FeatureRepository.CONFIG_FILE))) {
      throw new ConfigurationException(
          "lakerank.features.repo is "
              + repo.toAbsolutePath()
              + ", which holds no "
              + FeatureRepository.CONFIG_FILE
              + ": point it at the feature repository (feature-repo/ in the project)");
    }
    FeatureStoreLocation location =
        FeatureStoreLocation.of(
            repo,
            settings.dataRoot() == null ? null : Path.of(settings.dataRoot()),
            settings.onlineStore());
    return switch (settings.source()) {
      case IN_PROCESS -> {
        if (!Files.isRegularFile(location.registryFile())) {
          throw new ConfigurationException(
              "no feature registry at "
                  + location.registryFile()
                  + ": run `lakerank features apply` and `lakerank features materialize` first (or set lakerank.features.data-root)");
        }
        FeastRegistry registry = location.registry();
        OnlineStore store = location.openOnline(settings.connections());
        Clock readAt = readClock(settings, registry, clock);
        yield new InProcessFeatureSource(
            new OnlineFeatureService(registry, store, readAt), store, readAt);
      }
      case FEAST_GRPC ->
          new FeastGrpcFeatureSource(
              settings.feastHost(),
              settings.feastPort(),
              location.config().project(),
              joinKeys(location.repository()),
              clock);
    };
  }

  /** The clock features are read by: the service's, or a fixed one for {@code as-of}. */
  private static Clock readClock(
      FeatureConfiguration settings, FeastRegistry registry, Clock clock) {
    String asOf = settings.asOf();
    if (asOf == null || asOf.isBlank()) {
      return clock;
    }
    if (asOf.equals("materialized")) {
      Optional<Instant> end =
          registry.onlineViews().keySet().stream()
              .map(registry::materializedUntil)
              .flatMap(Optional::stream)
              .max(Comparator.naturalOrder());
      return Clock.fixed(
          end.orElseThrow(
              () ->
                  new ConfigurationException(
                      "lakerank.features.as-of is 'materialized' but "
                          + "nothing was materialized yet: run `lakerank features materialize`")),
          ZoneOffset.UTC);
    }
    try {
      return Clock.fixed(Instant.parse(asOf), ZoneOffset.UTC);
    } catch (DateTimeParseException e) {
      throw new ConfigurationException(
          "lakerank.features.as-of is '"
              + asOf
              + "'; give an ISO-8601 instant such as 2026-02-02T00:00:00Z, 'materialized' (the newest materialization's end), "
              + "or leave it unset to read as of now");
    }
  }

  private static Map<String, String> joinKeys(FeatureRepository repository) {
    Map<String, String> keys = new LinkedHashMap<>();
    for (FeatureView view : repository.featureViews()) {
      List<String> joinKeys = repository.joinKeys(view);
      if (joinKeys.size() == 1) {
        keys.put(view.name(), joinKeys.get(0));
      }
    }
    return keys;
  }
}
