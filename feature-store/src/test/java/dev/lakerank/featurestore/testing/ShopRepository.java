package dev.lakerank.featurestore.testing;

import dev.lakerank.featurestore.definition.FeatureRepository;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A small feature repository of a shop, written to a directory and loaded as a user would: two
 * INT64 entities, batch views with and without a ttl, a stream feature view, a view of two
 * entities, an offline-only view and a feature service.
 *
 * <pre>{@code
 * FeatureRepository repository = ShopRepository.write(temporaryDirectory);
 * }</pre>
 */
public final class ShopRepository {
  /** The project of {@code feature_store.yaml}. */
  public static final String PROJECT = "shop";

  /** {@code feature_store.yaml}: a SQLite online store in {@code data/online.db}. */
  public static final String CONFIG =
      """
      project: shop
      registry: data/registry.db
      provider: local
      online_store:
        type: sqlite
        path: data/online.db
      offline_store:
        type: spark
      entity_key_serialization_version: 3
      """;

  /** The definitions, in Lakerank's YAML form of Feast's objects. */
  public static final String DEFINITIONS =
      """
      entities:
        - {name: user, join_key: user_id, value_type: Int64}
        - {name: item, join_key: item_id, value_type: Int64}

      feature_views:
        - name: user_activity
          entities: [user]
          ttl: 7d
          source:
            table: gold.user_activity
            timestamp_field: event_timestamp
            created_timestamp_column: created_timestamp
          features:
            - {name: clicks_7d, dtype: Int64}
            - {name: ctr_7d, dtype: Float64}
            - {name: last_category, dtype: String}
        - name: item_profile
          entities: [item]
          ttl: 0
          source: {table: gold.item_profile, timestamp_field: event_timestamp}
          features:
            - {name: category, dtype: String}
            - {name: price, dtype: Float64}
        - name: user_item_affinity
          entities: [user, item]
          ttl: 30d
          source: {table: gold.user_item_affinity, timestamp_field: event_timestamp}
          features:
            - {name: clicks_30d, dtype: Int64}
        - name: user_demographics
          entities: [user]
          online: false
          source: {table: gold.user_demographics, timestamp_field: event_timestamp}
          features:
            - {name: age, dtype: Int64}

      stream_feature_views:
        - name: item_popularity
          entities: [item]
          ttl: 1d
          source: {table: gold.item_popularity, timestamp_field: event_timestamp}
          stream_source: {topic: item-events, bootstrap_servers: "127.0.0.1:9092"}
          features:
            - {name: impressions_1h, dtype: Int64}
            - {name: ctr_1h, dtype: Float64}

      feature_services:
        - name: ranker
          features:
            - {feature_view: user_activity, features: [ctr_7d, clicks_7d]}
            - {feature_view: item_popularity, features: [ctr_1h]}
            - {feature_view: item_profile, features: [price]}
      """;

  private ShopRepository() {}

  /** Writes the repository into {@code directory} and loads it. */
  public static FeatureRepository write(Path directory) {
    try {
      Files.writeString(directory.resolve(FeatureRepository.CONFIG_FILE), CONFIG);
      Files.writeString(directory.resolve("features.yaml"), DEFINITIONS);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the test feature repository to " + directory, e);
    }
    return FeatureRepository.load(directory);
  }
}
