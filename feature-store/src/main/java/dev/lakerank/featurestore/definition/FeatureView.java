package dev.lakerank.featurestore.definition;

import static java.util.Objects.requireNonNull;

import dev.lakerank.featurestore.errors.FeatureStoreErrors;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A Feast feature view: a group of features of one or more entities, read from one source.
 *
 * @param ttl how old a row may be and still count at a point in time; {@link Duration#ZERO} means
 *     no limit, as in Feast
 * @param online whether materialization copies this view to the online store (Feast refuses to
 *     materialize a view with {@code online: false})
 * @param stream for a Feast stream feature view, the Kafka topic its rows also arrive on (the
 *     streaming jobs push them online and append them to {@code source}); null for a batch view
 */
public record FeatureView(
    String name,
    List<String> entities,
    List<Feature> features,
    Duration ttl,
    boolean online,
    DataSource source,
    String description,
    Map<String, String> tags,
    StreamSource stream) {
  public FeatureView {
    requireNonNull(name, "name");
    entities = List.copyOf(entities);
    features = List.copyOf(features);
    requireNonNull(ttl, "ttl");
    if (ttl.isNegative()) {
      throw FeatureStoreErrors.invalidDefinition(
          "feature view `" + name + "` has a negative ttl " + ttl);
    }
    requireNonNull(source, "source");
    description = description == null ? "" : description;
    tags = Map.copyOf(tags);
  }

  /** A Kafka topic that carries a stream feature view's rows. */
  public record StreamSource(
      String name, String topic, String bootstrapServers, String messageFormat) {
    public StreamSource {
      requireNonNull(name, "name");
      requireNonNull(topic, "topic");
      requireNonNull(bootstrapServers, "bootstrapServers");
      messageFormat = messageFormat == null ? "json" : messageFormat;
    }
  }

  /** Whether this is a stream feature view. */
  public boolean isStream() {
    return stream != null;
  }

  /** The feature named {@code featureName}, if this view has it. */
  public Optional<Feature> feature(String featureName) {
    return features.stream().filter(f -> f.name().equals(featureName)).findFirst();
  }

  /** The names of the features, in definition order. */
  public List<String> featureNames() {
    return features.stream().map(Feature::name).toList();
  }

  /** Whether rows older than {@link #ttl()} are ignored (a ttl of zero means they never are). */
  public boolean hasTtl() {
    return !ttl.isZero();
  }
}
