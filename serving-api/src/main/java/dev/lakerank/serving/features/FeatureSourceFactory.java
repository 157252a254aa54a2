package dev.lakerank.serving.features;

import dev.lakerank.featurestore.FeatureStoreLocation;
import dev.lakerank.featurestore.definition.FeatureRepository;
import dev.lakerank.featurestore.definition.FeatureView;
import dev.lakerank.featurestore.online.OnlineStore;
import dev.lakerank.featurestore.registry.FeastRegistry;
import dev.lakerank.featurestore.retrieval.OnlineFeatureService;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.exceptions.ConfigurationException;
import jakarta.inject.Singleton;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds the configured {@link FeatureSource}. */
@Factory
public class FeatureSourceFactory {
  @Singleton
  @Bean(preDestroy = "close")
  FeatureSource featureSource(FeatureSettings settings, MeterRegistry meters) {
    FeatureSource source = uncached(settings);
    if (settings.getCacheKeys().isEmpty() || settings.getCacheTtl().isZero()) {
      return source;
    }
    // the stream views change within seconds of an event: cached for stream-cache-ttl only
    java.util.Set<String> liveViews = new java.util.HashSet<>();
    FeatureRepository.load(Path.of(settings.getRepo())).featureViews().stream()
        .filter(FeatureView::isStream)
        .forEach(view -> liveViews.add(view.name()));
    return new CachingFeatureSource(
        source,
        new java.util.HashSet<>(settings.getCacheKeys()),
        liveViews,
        settings.getCacheTtl(),
        settings.getStreamCacheTtl(),
        settings.getCacheRows(),
        meters);
  }

  private static FeatureSource uncached(FeatureSettings settings) {
    Path repo = Path.of(settings.getRepo());
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
            settings.getDataRoot() == null ? null : Path.of(settings.getDataRoot()),
            settings.getOnlineStore());
    switch (settings.getSource()) {
      case "in-process":
        {
          if (!Files.isRegularFile(location.registryFile())) {
            throw new ConfigurationException(
                "no feature registry at "
                    + location.registryFile()
                    + ": run `lakerank features apply` and `lakerank features materialize` first (or set lakerank.features.data-root)");
          }
          FeastRegistry registry = location.registry();
          OnlineStore store = location.openOnline(settings.getConnections());
          Clock clock = clock(settings, registry);
          return new InProcessFeatureSource(
              new OnlineFeatureService(registry, store, clock), store, clock);
        }
      case "feast-grpc":
        return new FeastGrpcFeatureSource(
            settings.getFeastHost(),
            settings.getFeastPort(),
            location.config().project(),
            joinKeys(location.repository()));
      default:
        throw new ConfigurationException(
            "lakerank.features.source is '"
                + settings.getSource()
                + "'; use in-process (the online store, read here) or feast-grpc (a Feast feature server)");
    }
  }

  private static Clock clock(FeatureSettings settings, FeastRegistry registry) {
    if (settings.getAsOf() == null || settings.getAsOf().isBlank()) {
      return Clock.systemUTC();
    }
    if (settings.getAsOf().equals("materialized")) {
      java.util.Optional<java.time.Instant> end =
          registry.onlineViews().keySet().stream()
              .map(registry::materializedUntil)
              .flatMap(java.util.Optional::stream)
              .max(java.util.Comparator.naturalOrder());
      return Clock.fixed(
          end.orElseThrow(
              () ->
                  new ConfigurationException(
                      "lakerank.features.as-of is 'materialized' but "
                          + "nothing was materialized yet: run `lakerank features materialize`")),
          java.time.ZoneOffset.UTC);
    }
    try {
      return Clock.fixed(java.time.Instant.parse(settings.getAsOf()), java.time.ZoneOffset.UTC);
    } catch (java.time.format.DateTimeParseException e) {
      throw new ConfigurationException(
          "lakerank.features.as-of is '"
              + settings.getAsOf()
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
