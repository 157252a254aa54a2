package dev.lakerank.jobs.features;

import static java.util.Objects.requireNonNull;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.row_number;

import dev.lakerank.featurestore.FeatureStoreLocation;
import dev.lakerank.featurestore.definition.FeatureRepository;
import dev.lakerank.featurestore.definition.FeatureView;
import dev.lakerank.featurestore.definition.RepoConfig;
import dev.lakerank.featurestore.errors.DefinitionException;
import dev.lakerank.featurestore.online.OnlineRow;
import dev.lakerank.featurestore.online.OnlineStore;
import dev.lakerank.featurestore.online.OnlineStores;
import dev.lakerank.featurestore.online.OnlineView;
import dev.lakerank.featurestore.registry.FeastRegistry;
import dev.lakerank.jobs.JobErrors;
import dev.lakerank.jobs.LakerankException;
import dev.lakerank.jobs.Reporter;
import dev.lakerank.jobs.catalog.Lakehouse;
import dev.lakerank.jobs.catalog.TableName;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.api.java.function.ForeachPartitionFunction;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.util.LongAccumulator;

/**
 * {@code lakerank features materialize}: copies the latest offline row of every entity, per online
 * feature view, into the online store, as Feast's {@code materialize} does.
 *
 * <p>For each view the rows considered have {@code start <= event_timestamp <= end}, where start is
 * the given one or, incrementally, the end of the view's last materialization (recorded in {@code
 * registry.db} as Feast records it), and never earlier than {@code end - ttl}. Of those, each
 * entity's row with the greatest event time (then created time) is written, from the executors in
 * parallel (Redis; a SQLite file has one writer at a time, so one task writes it). The stores skip
 * a row not newer than what they hold, so a run can be repeated and an older row never replaces a
 * newer one.
 */
public final class MaterializeJob {
  /** Rows per online-store write. */
  static final int BATCH = 1_000;

  private final Lakehouse lakehouse;
  private final Clock clock;
  private final Reporter reporter;

  public MaterializeJob(Lakehouse lakehouse, Clock clock, Reporter reporter) {
    this.lakehouse = requireNonNull(lakehouse, "lakehouse");
    this.clock = requireNonNull(clock, "clock");
    this.reporter = requireNonNull(reporter, "reporter");
  }

  /**
   * What one view's materialization did.
   *
   * @param entities entities whose latest row was sent to the store
   * @param written rows the store took
   * @param skipped rows the store already held as new or newer
   * @param note why nothing was done, or null
   */
  public record ViewResult(
      String view,
      Instant start,
      Instant end,
      long entities,
      long written,
      long skipped,
      int features,
      Duration took,
      String note) {
    /** Feature values written (rows times features). */
    public long featureValues() {
      return written * features;
    }
  }

  /** The newest event time in the offline tables of the online views: the data's "now". */
  public Optional<Instant> latestEventTime(FeatureRepository repository) {
    Instant latest = null;
    for (FeatureView view : repository.featureViews()) {
      TableName table = TableName.parse(view.source().table());
      if (!view.online() || !lakehouse.exists(table)) {
        continue;
      }
      Row row =
          lakehouse
              .read(table)
              .agg(max(col(view.source().timestampField()).cast(DataTypes.TimestampType)))
              .first();
      if (!row.isNullAt(0)) {
        Instant time = row.getTimestamp(0).toInstant();
        latest = latest == null || time.isAfter(latest) ? time : latest;
      }
    }
    return Optional.ofNullable(latest);
  }

  /**
   * Materializes.
   *
   * @param start the first event time to consider, or empty for incremental (since each view's last
   *     materialization)
   * @param views views to materialize, or empty for every online view
   * @throws LakerankException when the registry is missing, a view is unknown or offline, or the
   *     store fails
   */
  public List<ViewResult> run(
      FeatureStoreLocation location, Optional<Instant> start, Instant end, List<String> views) {
    FeatureRepository repository = location.repository();
    FeastRegistry registry = applied(location);
    Map<String, OnlineView> applied = registry.onlineViews();
    for (String name : views) {
      if (!applied.containsKey(name)) {
        throw JobErrors.notFound(
            "no online feature view `"
                + name
                + "` in the registry (there are: "
                + String.join(", ", applied.keySet())
                + "); run `lakerank features apply` after adding it");
      }
    }
    if (start.isPresent() && start.get().isAfter(end)) {
      throw JobErrors.invalidInput(
          "--start " + start.get() + " is after --end " + end + "; give a start before the end");
    }
    HistoricalFeatures offline = new HistoricalFeatures(lakehouse, repository);
    List<ViewResult> results = new ArrayList<>();
    for (FeatureView view : repository.featureViews()) {
      if (!view.online() || (!views.isEmpty() && !views.contains(view.name()))) {
        continue;
      }
      if (!applied.containsKey(view.name())) {
        throw JobErrors.conflict(
            "feature view `"
                + view.name()
                + "` is defined but not applied; run `lakerank features apply`");
      }
      Instant from =
          start.orElseGet(() -> registry.materializedUntil(view.name()).orElse(Instant.EPOCH));
      if (view.hasTtl() && from.isBefore(end.minus(view.ttl()))) {
        from = end.minus(view.ttl());
      }
      TableName table = TableName.parse(view.source().table());
      if (view.isStream() && !lakehouse.exists(table)) {
        results.add(
            new ViewResult(
                view.name(),
                from,
                end,
                0,
                0,
                0,
                view.features().size(),
                Duration.ZERO,
                "no offline rows yet ("
                    + table
                    + " does not exist); the streaming job writes this view"));
        continue;
      }
      if (from.isAfter(end)) {
        results.add(
            new ViewResult(
                view.name(),
                from,
                end,
                0,
                0,
                0,
                view.features().size(),
                Duration.ZERO,
                "already materialized up to " + from));
        continue;
      }
      reporter.step("materialize " + view.name());
      Instant started = clock.instant();
      ViewResult result = materialize(location, offline, repository, view, from, end, started);
      location
          .registry()
          .withMaterialization(view.name(), from, end, clock.instant())
          .write(location.registryFile());
      results.add(result);
    }
    return results;
  }

  private static FeastRegistry applied(FeatureStoreLocation location) {
    try {
      return location.registry();
    } catch (DefinitionException e) {
      throw JobErrors.wrap(e);
    }
  }

  private ViewResult materialize(
      FeatureStoreLocation location,
      HistoricalFeatures offline,
      FeatureRepository repository,
      FeatureView view,
      Instant from,
      Instant end,
      Instant started) {
    OnlineView online = OnlineView.of(repository, view);
    Dataset<Row> source = offline.source(view, new LinkedHashSet<>(view.featureNames()), Map.of());
    Column time = col(view.source().timestampField()).cast(DataTypes.TimestampType);
    Column created =
        view.source()
            .createdTimestamp()
            .map(c -> col(c).cast(DataTypes.TimestampType))
            .orElse(lit(null).cast(DataTypes.TimestampType));
    List<Column> columns = OnlineRows.columns(online, time, created);
    Column keysPresent = lit(true);
    for (String key : online.joinKeyNames()) {
      keysPresent = keysPresent.and(col(key).isNotNull());
    }
    Dataset<Row> latest =
        source
            .where(
                keysPresent
                    .and(time.geq(lit(Timestamp.from(from))))
                    .and(time.leq(lit(Timestamp.from(end)))))
            .select(columns.toArray(Column[]::new))
            .withColumn(
                "__rank",
                row_number()
                    .over(
                        Window.partitionBy(
                                online.joinKeyNames().stream()
                                    .map(k -> col(k))
                                    .toArray(Column[]::new))
                            .orderBy(
                                col("__event_time").desc(),
                                col("__created_time").desc_nulls_last())))
            .where(col("__rank").equalTo(1))
            .drop("__rank");

    LongAccumulator entities =
        lakehouse.spark().sparkContext().longAccumulator("materialized entities " + view.name());
    LongAccumulator written =
        lakehouse.spark().sparkContext().longAccumulator("written " + view.name());
    LongAccumulator skipped =
        lakehouse.spark().sparkContext().longAccumulator("skipped " + view.name());
    RepoConfig config = location.config();
    if (config.onlineStore().type().equals("sqlite")) {
      // a SQLite file takes one writer at a time: parallel tasks would only wait on its lock
      latest = latest.repartition(1);
    }
    latest.foreachPartition(
        writer(config.onlineStore(), config.project(), online, entities, written, skipped));
    return new ViewResult(
        view.name(),
        from,
        end,
        entities.value(),
        written.value(),
        skipped.value(),
        view.features().size(),
        Duration.between(started, clock.instant()),
        null);
  }

  /** The executors' side; a static factory so the function captures no job object. */
  static ForeachPartitionFunction<Row> writer(
      RepoConfig.OnlineStoreConfig store,
      String project,
      OnlineView view,
      LongAccumulator entities,
      LongAccumulator written,
      LongAccumulator skipped) {
    return new PartitionWriter(store, project, view, entities, written, skipped);
  }

  private static final class PartitionWriter implements ForeachPartitionFunction<Row> {
    private static final long serialVersionUID = 1L;
    private final RepoConfig.OnlineStoreConfig store;
    private final String project;
    private final OnlineView view;
    private final LongAccumulator entities;
    private final LongAccumulator written;
    private final LongAccumulator skipped;

    PartitionWriter(
        RepoConfig.OnlineStoreConfig store,
        String project,
        OnlineView view,
        LongAccumulator entities,
        LongAccumulator written,
        LongAccumulator skipped) {
      this.store = store;
      this.project = project;
      this.view = view;
      this.entities = entities;
      this.written = written;
      this.skipped = skipped;
    }

    @Override
    public void call(Iterator<Row> rows) {
      if (!rows.hasNext()) {
        return;
      }
      // the driver resolved the SQLite path: it is absolute
      try (OnlineStore online = OnlineStores.open(store, project, Path.of("."), 1)) {
        List<OnlineRow> batch = new ArrayList<>(BATCH);
        while (rows.hasNext()) {
          batch.add(OnlineRows.of(view, rows.next()));
          if (batch.size() == BATCH) {
            flush(online, batch);
          }
        }
        flush(online, batch);
      }
    }

    private void flush(OnlineStore store, List<OnlineRow> batch) {
      if (batch.isEmpty()) {
        return;
      }
      OnlineStore.WriteResult result = store.write(view, batch);
      entities.add(batch.size());
      written.add(result.written());
      skipped.add(result.skipped());
      batch.clear();
    }
  }
}
