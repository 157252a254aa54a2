package dev.lakerank.jobs.features;

import static java.util.Objects.requireNonNull;

import dev.lakerank.featurestore.FeatureStoreLocation;
import dev.lakerank.featurestore.definition.FeatureRepository;
import dev.lakerank.featurestore.definition.FeatureView;
import dev.lakerank.featurestore.online.OnlineStore;
import dev.lakerank.featurestore.online.OnlineView;
import dev.lakerank.featurestore.registry.FeastRegistry;
import dev.lakerank.jobs.JobErrors;
import dev.lakerank.jobs.LakerankException;
import dev.lakerank.jobs.catalog.Lakehouse;
import dev.lakerank.jobs.catalog.TableName;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code lakerank features apply}: checks every feature view against its offline Delta table, then
 * writes {@code registry.db} (Feast's registry proto) and creates the online store's tables.
 * Materialization intervals recorded by an earlier registry are kept.
 */
public final class FeatureApply {
  private final Lakehouse lakehouse;
  private final Clock clock;

  public FeatureApply(Lakehouse lakehouse, Clock clock) {
    this.lakehouse = requireNonNull(lakehouse, "lakehouse");
    this.clock = requireNonNull(clock, "clock");
  }

  /** What was applied. */
  public record Summary(
      int entities,
      int featureViews,
      int streamFeatureViews,
      int featureServices,
      List<String> notes) {}

  /**
   * Checks and applies.
   *
   * @throws LakerankException listing every problem found, each with its view, column and fix;
   *     nothing is written then
   */
  public Summary apply(FeatureStoreLocation location) {
    FeatureRepository repository = location.repository();
    if (repository.config().entityKeySerializationVersion() != 3) {
      throw JobErrors.configuration(
          "feature_store.yaml sets entity_key_serialization_version: "
              + repository.config().entityKeySerializationVersion()
              + "; Lakerank writes Feast's version 3 keys, so set it to 3");
    }
    HistoricalFeatures offline = new HistoricalFeatures(lakehouse, repository);
    List<String> problems = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    int streams = 0;
    for (FeatureView view : repository.featureViews()) {
      streams += view.isStream() ? 1 : 0;
      if (view.isStream() && !lakehouse.exists(TableName.parse(view.source().table()))) {
        notes.add(
            "stream feature view `"
                + view.name()
                + "`: "
                + view.source().table()
                + " does not exist yet (the streaming job writes it); registered unchecked");
        continue;
      }
      try {
        offline.check(view);
      } catch (LakerankException e) {
        problems.add(e.getMessage());
      }
    }
    if (!problems.isEmpty()) {
      throw JobErrors.invalidInput(
          "the feature definitions in "
              + repository.directory()
              + " do not match the offline tables; "
              + "nothing was applied:\n  - "
              + String.join("\n  - ", problems));
    }
    FeastRegistry registry =
        FeastRegistry.build(
            repository,
            view -> lakehouse.location(TableName.parse(view.source().table())),
            FeastRegistry.readIfExists(location.registryFile()),
            clock.instant());
    try (OnlineStore store = location.openOnline(1)) {
      store.prepare(
          repository.featureViews().stream()
              .filter(FeatureView::online)
              .map(v -> OnlineView.of(repository, v))
              .toList());
    }
    registry.write(location.registryFile());
    return new Summary(
        repository.entities().size(),
        repository.featureViews().size() - streams,
        streams,
        repository.featureServices().size(),
        notes);
  }
}
