package dev.lakerank.serving.features;

import dev.lakerank.featurestore.definition.FeatureReference;
import dev.lakerank.featurestore.errors.InvalidFeatureRequest;
import dev.lakerank.featurestore.online.OnlineStore;
import dev.lakerank.featurestore.online.OnlineView;
import dev.lakerank.featurestore.retrieval.OnlineFeatureService;
import dev.lakerank.featurestore.retrieval.OnlineFeatures;
import dev.lakerank.serving.errors.ServingErrors;
import feast.proto.serving.ServingAPIProto.FieldStatus;
import feast.proto.types.ValueProto.Value;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the online store (SQLite or Redis, Feast's layouts) through the feature-store library, in
 * this process.
 */
public final class InProcessFeatureSource implements FeatureSource {
  private final OnlineFeatureService service;
  private final OnlineStore store;
  private final Map<String, String> joinKeys = new LinkedHashMap<>();

  private final java.time.Clock clock;

  public InProcessFeatureSource(
      OnlineFeatureService service, OnlineStore store, java.time.Clock clock) {
    this.service = service;
    this.clock = clock;
    this.store = store;
    for (Map.Entry<String, OnlineView> view : service.views().entrySet()) {
      if (view.getValue().joinKeys().size() == 1) {
        joinKeys.put(view.getKey(), view.getValue().joinKeys().get(0).name());
      }
    }
  }

  @Override
  public Map<String, String> joinKeys() {
    return joinKeys;
  }

  @Override
  public FeatureBlock read(String joinKey, long[] ids, List<FeatureReference> refs) {
    List<Value> keys = new ArrayList<>(ids.length);
    for (long id : ids) {
      keys.add(Value.newBuilder().setInt64Val(id).build());
    }
    OnlineFeatures features;
    try {
      features = service.get(refs, Map.of(joinKey, keys), true);
    } catch (InvalidFeatureRequest e) {
      throw e;
    } catch (RuntimeException e) {
      throw ServingErrors.featuresUnavailable(
          "the online store (" + store.describe() + ") did not answer: " + e.getMessage(), e);
    }
    OnlineFeatures answer = features;
    return FeatureBlock.of(
        refs,
        ids.length,
        (row, f) -> answer.status(f, row) == FieldStatus.PRESENT ? answer.value(f, row) : null);
  }

  @Override
  public void ping() {
    try {
      store.ping();
    } catch (RuntimeException e) {
      throw ServingErrors.featuresUnavailable(
          "the online store (" + store.describe() + ") does not answer: " + e.getMessage(), e);
    }
  }

  @Override
  public java.time.Clock clock() {
    return clock;
  }

  @Override
  public String describe() {
    return "in-process " + store.describe();
  }

  @Override
  public void close() {
    store.close();
  }
}
