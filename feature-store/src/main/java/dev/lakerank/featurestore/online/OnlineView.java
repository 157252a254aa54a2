package dev.lakerank.featurestore.online;

import static java.util.Objects.requireNonNull;

import dev.lakerank.featurestore.definition.Entity;
import dev.lakerank.featurestore.definition.Feature;
import dev.lakerank.featurestore.definition.FeatureRepository;
import dev.lakerank.featurestore.definition.FeatureView;
import dev.lakerank.featurestore.definition.ValueType;
import dev.lakerank.featurestore.errors.FeatureStoreErrors;
import dev.lakerank.featurestore.errors.OnlineStoreException;
import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What the online side needs to know of a feature view: its join keys with their types, its
 * features with theirs, and its ttl. Built from the definitions or from a Feast {@code
 * registry.db}, so a registry Feast wrote is served the same way.
 */
public record OnlineView(String name, List<JoinKey> joinKeys, List<Feature> features, Duration ttl)
    implements Serializable {
  /** A join key of the view's entities and the type its values must have. */
  public record JoinKey(String name, ValueType type) implements Serializable {
    public JoinKey {
      requireNonNull(name, "name");
      requireNonNull(type, "type");
    }
  }

  public OnlineView {
    requireNonNull(name, "name");
    joinKeys = List.copyOf(joinKeys);
    features = List.copyOf(features);
    requireNonNull(ttl, "ttl");
    if (joinKeys.isEmpty()) {
      throw new IllegalArgumentException("feature view `" + name + "` has no join keys");
    }
  }

  /** The online view of a defined feature view. */
  public static OnlineView of(FeatureRepository repository, FeatureView view) {
    List<JoinKey> keys = new ArrayList<>();
    for (String entityName : view.entities()) {
      Entity entity = repository.entity(entityName);
      keys.add(new JoinKey(entity.joinKey(), entity.valueType()));
    }
    return new OnlineView(view.name(), keys, view.features(), view.ttl());
  }

  /** The feature named {@code name}, if the view has it. */
  public Optional<Feature> feature(String name) {
    return features.stream().filter(f -> f.name().equals(name)).findFirst();
  }

  /**
   * Checks that {@code row} holds only features of this view, before anything is written.
   *
   * @throws OnlineStoreException naming the feature that the view does not have
   */
  public void check(OnlineRow row) {
    for (String name : row.values().keySet()) {
      if (feature(name).isEmpty()) {
        throw FeatureStoreErrors.invalidRow(
            "feature view `"
                + this.name
                + "` has no feature `"
                + name
                + "` (it has: "
                + String.join(", ", features.stream().map(Feature::name).toList())
                + ")");
      }
    }
  }

  /** The names of the join keys, in definition order. */
  public List<String> joinKeyNames() {
    return joinKeys.stream().map(JoinKey::name).toList();
  }
}
