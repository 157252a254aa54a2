package dev.lakerank.featurestore.retrieval;

import static java.util.Objects.requireNonNull;

import com.google.protobuf.Timestamp;
import dev.lakerank.featurestore.definition.Feature;
import dev.lakerank.featurestore.definition.FeatureReference;
import dev.lakerank.featurestore.definition.ValueType;
import dev.lakerank.featurestore.errors.DefinitionException;
import dev.lakerank.featurestore.errors.FeatureStoreErrors;
import dev.lakerank.featurestore.errors.InvalidFeatureRequest;
import dev.lakerank.featurestore.format.EntityKeys;
import dev.lakerank.featurestore.format.FeatureValues;
import dev.lakerank.featurestore.online.OnlineStore;
import dev.lakerank.featurestore.online.OnlineView;
import dev.lakerank.featurestore.online.StoredRow;
import dev.lakerank.featurestore.online.ViewRead;
import dev.lakerank.featurestore.registry.FeastRegistry;
import feast.proto.serving.ServingAPIProto.FieldStatus;
import feast.proto.serving.ServingAPIProto.GetOnlineFeaturesRequest;
import feast.proto.types.EntityKeyProto.EntityKey;
import feast.proto.types.ValueProto.RepeatedValue;
import feast.proto.types.ValueProto.Value;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Feast's {@code get_online_features}: feature references (or a feature service) and columnar
 * entity rows in, one value, status and event time per feature and row out, from one batched read
 * of the online store.
 *
 * <p>Statuses follow Feast's Java server: NOT_FOUND when the entity or the feature is not stored
 * (or the stored value has another type than the definition), then OUTSIDE_MAX_AGE when the view
 * has a ttl and the row's event time is older than now minus the ttl (the value, even a null, is
 * still returned), then NULL_VALUE for a stored null, PRESENT otherwise.
 *
 * <p>Bad requests (an unknown view or feature, a missing join key, a key value of the wrong type,
 * columns of different lengths) raise {@link InvalidFeatureRequest} naming the problem.
 */
public final class OnlineFeatureService {
  private final FeastRegistry registry;
  private final Map<String, OnlineView> views;
  private final OnlineStore store;
  private final Clock clock;

  public OnlineFeatureService(FeastRegistry registry, OnlineStore store, Clock clock) {
    this.registry = requireNonNull(registry, "registry");
    this.views = registry.onlineViews();
    this.store = requireNonNull(store, "store");
    this.clock = requireNonNull(clock, "clock");
  }

  /** The online views served. */
  public Map<String, OnlineView> views() {
    return views;
  }

  /** The features of a feature service. */
  public List<FeatureReference> featureService(String name) {
    try {
      return registry.featureService(name);
    } catch (DefinitionException e) {
      throw FeatureStoreErrors.invalidRequest(e.getMessage());
    }
  }

  /** Answers a Feast request. */
  public OnlineFeatures get(GetOnlineFeaturesRequest request) {
    List<FeatureReference> references;
    switch (request.getKindCase()) {
      case FEATURE_SERVICE:
        references = featureService(request.getFeatureService());
        break;
      case FEATURES:
        references = new ArrayList<>();
        for (String text : request.getFeatures().getValList()) {
          references.add(parse(text));
        }
        break;
      default:
        throw FeatureStoreErrors.invalidRequest(
            "the request names neither features nor a feature service");
    }
    Map<String, List<Value>> entities = new LinkedHashMap<>();
    for (Map.Entry<String, RepeatedValue> column : request.getEntitiesMap().entrySet()) {
      entities.put(column.getKey(), column.getValue().getValList());
    }
    return get(references, entities, request.getFullFeatureNames());
  }

  /**
   * The features {@code references} for the entity rows {@code entities} (join key to one value per
   * row).
   *
   * @param fullFeatureNames name the features {@code view__feature} (Feast's {@code
   *     full_feature_names}) rather than {@code view:feature} (Feast's Java server)
   */
  public OnlineFeatures get(
      List<FeatureReference> references,
      Map<String, List<Value>> entities,
      boolean fullFeatureNames) {
    if (references.isEmpty()) {
      throw FeatureStoreErrors.invalidRequest(
          "the request asks for no features; name some as view:feature");
    }
    int rows = rowCount(entities);
    Requested requested = resolve(references, fullFeatureNames);
    Map<String, List<Integer>> byView = requested.byView();
    List<String> names = requested.names();
    List<Feature> specs = requested.specs();

    List<ViewRead> reads = new ArrayList<>();
    List<boolean[]> keyMissing = new ArrayList<>();
    for (Map.Entry<String, List<Integer>> entry : byView.entrySet()) {
      OnlineView view = views.get(entry.getKey());
      List<byte[]> keys = new ArrayList<>(rows);
      boolean[] missing = new boolean[rows];
      for (int r = 0; r < rows; r++) {
        EntityKey key = entityKey(view, entities, r);
        missing[r] = key == null;
        keys.add(key == null ? new byte[0] : EntityKeys.serialize(key, EntityKeys.DEFAULT_VERSION));
      }
      List<String> features =
          entry.getValue().stream().map(i -> references.get(i).feature()).toList();
      reads.add(new ViewRead(view, features, keys));
      keyMissing.add(missing);
    }
    List<List<StoredRow>> stored = store.read(reads);

    int n = references.size();
    Value[][] values = new Value[n][rows];
    FieldStatus[][] statuses = new FieldStatus[n][rows];
    Timestamp[][] times = new Timestamp[n][rows];
    Instant now = clock.instant();
    int v = 0;
    for (Map.Entry<String, List<Integer>> entry : byView.entrySet()) {
      OnlineView view = views.get(entry.getKey());
      List<StoredRow> viewRows = stored.get(v);
      boolean[] missing = keyMissing.get(v);
      v++;
      for (int r = 0; r < rows; r++) {
        StoredRow row = missing[r] ? null : viewRows.get(r);
        Timestamp time =
            row == null || row.eventTime() == null
                ? Timestamp.getDefaultInstance()
                : FeatureValues.timestamp(row.eventTime());
        boolean stale =
            row != null
                && row.eventTime() != null
                && !view.ttl().isZero()
                && row.eventTime().isBefore(now.minus(view.ttl()));
        for (int i : entry.getValue()) {
          Value value = row == null ? null : row.values().get(references.get(i).feature());
          FieldStatus status;
          if (value == null || !FeatureValues.hasType(value, specs.get(i).valueType())) {
            value = FeatureValues.nullValue();
            status = FieldStatus.NOT_FOUND;
          } else if (stale) {
            // age before null, as Feast's Java server (OnlineServingServiceV2.getFeatureStatus)
            status = FieldStatus.OUTSIDE_MAX_AGE;
          } else {
            status = FeatureValues.isNull(value) ? FieldStatus.NULL_VALUE : FieldStatus.PRESENT;
          }
          values[i][r] = value;
          statuses[i][r] = status;
          times[i][r] = status == FieldStatus.NOT_FOUND ? Timestamp.getDefaultInstance() : time;
        }
      }
    }
    List<String> entityColumns = new ArrayList<>(entities.keySet());
    List<List<Value>> entityValues = entityColumns.stream().map(entities::get).toList();
    return new OnlineFeatures(entityColumns, entityValues, names, values, statuses, times);
  }

  /**
   * The view's entity key for row {@code r}, or null when a key value is null (nothing can match
   * it).
   */
  private static EntityKey entityKey(OnlineView view, Map<String, List<Value>> entities, int r) {
    EntityKey.Builder key = EntityKey.newBuilder();
    for (OnlineView.JoinKey joinKey : view.joinKeys()) {
      List<Value> column = entities.get(joinKey.name());
      if (column == null) {
        throw FeatureStoreErrors.invalidRequest(
            "feature view `"
                + view.name()
                + "` needs join key `"
                + joinKey.name()
                + "`, which the request does not have (it has: "
                + String.join(", ", entities.keySet())
                + ")");
      }
      Value value = column.get(r);
      if (FeatureValues.isNull(value)) {
        return null;
      }
      key.addJoinKeys(joinKey.name()).addEntityValues(keyValue(joinKey, value, r));
    }
    return key.build();
  }

  /**
   * The key value in the join key's type; an int32 for an INT64 key is widened (Feast's Java client
   * sends ints as int32).
   */
  private static Value keyValue(OnlineView.JoinKey joinKey, Value value, int row) {
    if (value.getValCase().getNumber() == joinKey.type().protoNumber()) {
      return value;
    }
    if (joinKey.type() == ValueType.INT64 && value.getValCase() == Value.ValCase.INT32_VAL) {
      return Value.newBuilder().setInt64Val(value.getInt32Val()).build();
    }
    throw FeatureStoreErrors.invalidRequest(
        "join key `"
            + joinKey.name()
            + "` is "
            + joinKey.type().dtypeName()
            + ", but row "
            + row
            + " has a "
            + value.getValCase().name().toLowerCase(java.util.Locale.ROOT).replace("_val", "")
            + " value; send "
            + joinKey.type().dtypeName()
            + " values");
  }

  private static FeatureReference parse(String text) {
    try {
      return FeatureReference.parse(text);
    } catch (DefinitionException e) {
      throw FeatureStoreErrors.invalidRequest(e.getMessage());
    }
  }

  /** The features asked for, grouped by view in request order, with their names and types. */
  private record Requested(
      Map<String, List<Integer>> byView, List<String> names, List<Feature> specs) {}

  /** The number of entity rows: every column must have as many values. */
  private static int rowCount(Map<String, List<Value>> entities) {
    int rows = -1;
    for (Map.Entry<String, List<Value>> column : entities.entrySet()) {
      if (rows >= 0 && column.getValue().size() != rows) {
        throw FeatureStoreErrors.invalidRequest(
            "entity columns have different lengths: `"
                + column.getKey()
                + "` has "
                + column.getValue().size()
                + " values, others "
                + rows
                + "; send one value per row in every column");
      }
      rows = column.getValue().size();
    }
    if (rows < 0) {
      throw FeatureStoreErrors.invalidRequest(
          "the request has no entity rows; send the join keys, such as user_id");
    }

    return rows;
  }

  private Requested resolve(List<FeatureReference> references, boolean fullFeatureNames) {
    // the features of each view, in request order
    Map<String, List<Integer>> byView = new LinkedHashMap<>();
    List<String> names = new ArrayList<>();
    List<Feature> specs = new ArrayList<>();
    for (int i = 0; i < references.size(); i++) {
      FeatureReference reference = references.get(i);
      OnlineView view = views.get(reference.featureView());
      if (view == null) {
        throw FeatureStoreErrors.invalidRequest(
            "feature reference `"
                + reference
                + "`: no online feature view `"
                + reference.featureView()
                + "` (there are: "
                + String.join(", ", views.keySet())
                + ")");
      }
      Feature feature =
          view.feature(reference.feature())
              .orElseThrow(
                  () ->
                      FeatureStoreErrors.invalidRequest(
                          "feature reference `"
                              + reference
                              + "`: feature view `"
                              + reference.featureView()
                              + "` has no feature `"
                              + reference.feature()
                              + "` (it has: "
                              + String.join(
                                  ", ", view.features().stream().map(Feature::name).toList())
                              + ")"));
      specs.add(feature);
      names.add(fullFeatureNames ? reference.fullName() : reference.toString());
      byView.computeIfAbsent(view.name(), v -> new ArrayList<>()).add(i);
    }
    return new Requested(byView, names, specs);
  }
}
