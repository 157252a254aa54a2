package dev.lakerank.streaming.features;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.trim;

import dev.lakerank.featurestore.FeatureStoreLocation;
import dev.lakerank.featurestore.definition.Feature;
import dev.lakerank.featurestore.definition.FeatureRepository;
import dev.lakerank.featurestore.format.EntityKeys;
import dev.lakerank.featurestore.format.FeatureValues;
import dev.lakerank.featurestore.online.OnlineRow;
import dev.lakerank.featurestore.online.OnlineStore;
import dev.lakerank.featurestore.online.OnlineView;
import dev.lakerank.jobs.catalog.Lakehouse;
import dev.lakerank.jobs.config.LakerankConfig.StreamSettings;
import dev.lakerank.jobs.features.RealtimeFeatures;
import dev.lakerank.jobs.tables.BronzeTable;
import dev.lakerank.jobs.tables.ItemRealtimeFeatures;
import dev.lakerank.jobs.tables.SilverInteractions;
import dev.lakerank.jobs.tables.SilverItems;
import dev.lakerank.jobs.tables.SilverUsers;
import dev.lakerank.jobs.tables.UserRealtimeFeatures;
import dev.lakerank.jobs.transform.ParsedFields;
import dev.lakerank.jobs.validate.Validation;
import dev.lakerank.streaming.StreamingErrors;
import dev.lakerank.streaming.ingest.EventMessages;
import dev.lakerank.streaming.internal.DimensionCache;
import dev.lakerank.streaming.internal.KafkaSource;
import dev.lakerank.streaming.internal.MicroBatch;
import dev.lakerank.streaming.internal.StreamSession;
import dev.lakerank.streaming.internal.Triggers;
import feast.proto.types.ValueProto.Value;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.streaming.StreamingQuery;

/**
 * {@code lakerank stream features}: the real-time feature views {@code user_realtime} and {@code
 * item_realtime} from the {@code events} topic, pushed to the online store in Feast's layout and
 * appended to their offline tables, so training reads what serving was pushed.
 *
 * <p>Valid events (the rules of {@code stream ingest}), each event id once within the watermark,
 * are counted per user and item in Spark's hopping windows ({@link RealtimeFeatures}), kept in the
 * query's state with a watermark on the event time ({@code stream.watermark}): an event later than
 * that is left out, and windows behind it are dropped from the state. After each micro-batch, each
 * updated entity's current value goes to the online store (a write no newer than what the store
 * holds is skipped: Feast's rule), then the same rows to {@code gold.user_realtime_features} and
 * {@code gold.item_realtime_features} with {@code origin = stream}, once per batch ({@link
 * MicroBatch}). A batch run again after a crash pushes the same values, which the store skips, and
 * appends nothing twice.
 */
public final class StreamFeatures {
  public static final String QUERY = "features";
  public static final String USER_VIEW = "user_realtime";
  public static final String ITEM_VIEW = "item_realtime";

  /** Rows per online-store write. */
  private static final int WRITE_BATCH = 1_000;

  private final Lakehouse lakehouse;
  private final StreamSettings settings;
  private final Duration futureTolerance;
  private final FeatureStoreLocation location;
  private final Clock clock;
  private OnlineView userView;
  private OnlineView itemView;
  private OnlineStore store;
  private OfflineOutbox outbox;
  private DimensionCache dimensions;
  private final AtomicBoolean closed = new AtomicBoolean();

  public StreamFeatures(
      Lakehouse lakehouse,
      StreamSettings settings,
      Duration futureTolerance,
      FeatureStoreLocation location,
      Clock clock) {
    this.lakehouse = lakehouse;
    this.settings = settings;
    this.futureTolerance = futureTolerance;
    this.location = location;
    this.clock = clock;
  }

  /** What one micro-batch pushed: entities sent to the store, and rows it took, per view. */
  public record PushResult(long users, long usersWritten, long items, long itemsWritten) {}

  /**
   * Opens the online store and starts the query; it runs until stopped. {@link #close} closes the
   * store after the query stops.
   */
  public StreamingQuery start(boolean availableNow) throws TimeoutException {
    StreamSession.configure(lakehouse.spark(), settings);
    open();
    boolean checkUsers =
        lakehouse.exists(BronzeTable.USERS.tableName()) && lakehouse.exists(SilverUsers.NAME);
    boolean knownItems = lakehouse.exists(SilverItems.NAME);
    boolean checkItems = lakehouse.exists(BronzeTable.ITEMS.tableName()) && knownItems;
    // one partition each: every micro-batch broadcasts them, a task per partition
    Optional<Dataset<Row>> users =
        checkUsers
            ? Optional.of(lakehouse.read(SilverUsers.NAME).select(SilverUsers.USER_ID).coalesce(1))
            : Optional.empty();
    Optional<Dataset<Row>> items =
        knownItems
            ? Optional.of(
                lakehouse
                    .read(SilverItems.NAME)
                    .select(SilverItems.ITEM_ID, SilverItems.CATEGORY)
                    .coalesce(1))
            : Optional.empty();
    List<Dataset<Row>> dimensions = new ArrayList<>();
    users.ifPresent(dimensions::add);
    items.ifPresent(dimensions::add);
    if (this.dimensions != null) {
      this.dimensions.close();
    }
    this.dimensions = new DimensionCache(dimensions, settings.dimensionRefresh());
    // one join with silver.items both checks the item and brings its category
    Dataset<Row> checked =
        EventMessages.check(
            EventMessages.parse(
                KafkaSource.read(lakehouse.spark(), settings, List.of(settings.eventsTopic()))),
            users,
            items,
            List.of(SilverItems.CATEGORY),
            EventMessages.rules(futureTolerance, checkUsers, checkItems));
    Dataset<Row> withCategory =
        Validation.valid(checked)
            .select(
                trim(col(SilverInteractions.EVENT_ID)).alias(SilverInteractions.EVENT_ID),
                ParsedFields.of(SilverInteractions.USER_ID).alias(SilverInteractions.USER_ID),
                ParsedFields.of(SilverInteractions.ITEM_ID).alias(SilverInteractions.ITEM_ID),
                ParsedFields.of(SilverInteractions.EVENT_TYPE).alias(SilverInteractions.EVENT_TYPE),
                ParsedFields.of(SilverInteractions.EVENT_TIME).alias(SilverInteractions.EVENT_TIME),
                col(SilverItems.CATEGORY));
    // an event delivered twice (at-least-once upstream) counts once, as silver keeps it once
    Dataset<Row> once =
        withCategory
            .withWatermark(
                SilverInteractions.EVENT_TIME, settings.watermark().toSeconds() + " seconds")
            .dropDuplicatesWithinWatermark(SilverInteractions.EVENT_ID);
    return RealtimeFeatures.candidates(RealtimeFeatures.windowed(once))
        .writeStream()
        .outputMode("update")
        .queryName("lakerank-" + QUERY)
        .option("checkpointLocation", settings.checkpoint(QUERY))
        .trigger(Triggers.of(settings.featuresTrigger(), availableNow))
        .foreachBatch(
            (windows, batchId) -> {
              push(windows, MicroBatch.of(lakehouse.spark(), QUERY, batchId, clock.instant()));
            })
        .start();
  }

  /** Opens the online store and prepares the views, once; {@link #start} calls it. */
  public void open() {
    if (store != null) {
      return;
    }
    FeatureRepository repository = location.repository();
    userView = view(repository, USER_VIEW);
    itemView = view(repository, ITEM_VIEW);
    lakehouse.createIfNotExists(UserRealtimeFeatures.DEFINITION);
    lakehouse.createIfNotExists(ItemRealtimeFeatures.DEFINITION);
    store = location.openOnline(1);
    store.prepare(List.of(userView, itemView));
    outbox = new OfflineOutbox(lakehouse, settings.checkpoint(QUERY), QUERY);
    outbox.start();
  }

  private static OnlineView view(FeatureRepository repository, String name) {
    if (repository.featureViews().stream().noneMatch(v -> v.name().equals(name) && v.isStream())) {
      throw StreamingErrors.notFound(
          "the feature repository "
              + repository.directory()
              + " has no stream feature view `"
              + name
              + "`; `stream features` fills user_realtime and item_realtime (see feature-repo/features.yaml)");
    }
    return OnlineView.of(repository, repository.featureView(name));
  }

  /**
   * Pushes one micro-batch of updated windows ({@link RealtimeFeatures#windowed} rows): each
   * entity's current value to the online store, then the same values to the offline outbox. Public
   * so tests can run it on a static Dataset.
   */
  public PushResult push(Dataset<Row> windows, MicroBatch batch) {
    List<RealtimeFeatures.Value> values = RealtimeFeatures.current(windows.collectAsList());
    long[] users = write(userView, values, RealtimeFeatures.USER, batch.started());
    long[] items = write(itemView, values, RealtimeFeatures.ITEM, batch.started());
    if (!values.isEmpty()) {
      outbox.put(batch.queryId(), batch.batchId(), batch.started(), values);
    }
    return new PushResult(users[0], users[1], items[0], items[1]);
  }

  /** Writes the values of one kind to the store; returns {sent, written}. */
  private long[] write(
      OnlineView view, List<RealtimeFeatures.Value> values, String kind, Instant created) {
    OnlineView.JoinKey joinKey = view.joinKeys().get(0);
    List<OnlineRow> rows = new ArrayList<>();
    long written = 0;
    long sent = 0;
    for (RealtimeFeatures.Value value : values) {
      if (!value.kind().equals(kind)) {
        continue;
      }
      Map<String, Value> features = new LinkedHashMap<>();
      for (Feature feature : view.features()) {
        Object raw =
            switch (feature.name()) {
              case UserRealtimeFeatures.IMPRESSIONS_1H -> value.impressions();
              case UserRealtimeFeatures.CLICKS_1H -> value.clicks();
              case UserRealtimeFeatures.LAST_CATEGORY -> value.lastCategory();
              default ->
                  throw StreamingErrors.invalidInput(
                      "feature view `"
                          + view.name()
                          + "` defines `"
                          + feature.name()
                          + "`, which `stream features` does not compute (it computes impressions_1h, clicks_1h, last_category)");
            };
        features.put(feature.name(), FeatureValues.toProto(raw, feature.valueType()));
      }
      rows.add(
          new OnlineRow(
              EntityKeys.of(joinKey.name(), FeatureValues.toProto(value.entity(), joinKey.type())),
              features,
              value.eventTime(),
              created));
      if (rows.size() == WRITE_BATCH) {
        written += store.write(view, rows, OnlineStore.WriteRule.NOT_OLDER).written();
        sent += rows.size();
        rows.clear();
      }
    }
    if (!rows.isEmpty()) {
      written += store.write(view, rows, OnlineStore.WriteRule.NOT_OLDER).written();
      sent += rows.size();
    }
    return new long[] {sent, written};
  }

  /**
   * Appends what the outbox holds, drops the cached dimensions and closes the online store; call
   * after the query stopped.
   */
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    if (dimensions != null) {
      dimensions.close();
    }
    if (outbox != null) {
      outbox.close();
    }
    if (store != null) {
      store.close();
    }
  }
}
