package dev.lakerank.featurestore.definition;

import static java.util.Objects.requireNonNull;

import dev.lakerank.featurestore.errors.FeatureStoreErrors;

/**
 * The contents of {@code feature_store.yaml}, with Feast's keys.
 *
 * @param registry path of {@code registry.db}, relative to the repository directory
 * @param onlineStore where online features are kept
 * @param offlineStoreType Feast's offline store type ({@code spark} for Delta tables)
 * @param entityKeySerializationVersion Feast's entity key layout; Lakerank writes version 3
 */
public record RepoConfig(
    String project,
    String registry,
    String provider,
    OnlineStoreConfig onlineStore,
    String offlineStoreType,
    int entityKeySerializationVersion) {
  public RepoConfig {
    requireNonNull(project, "project");
    requireNonNull(registry, "registry");
    requireNonNull(provider, "provider");
    requireNonNull(onlineStore, "onlineStore");
    requireNonNull(offlineStoreType, "offlineStoreType");
    if (!project.matches("[A-Za-z0-9_]+")) {
      throw FeatureStoreErrors.repositoryConfiguration(
          "project `"
              + project
              + "` in feature_store.yaml may hold only letters, digits and _, "
              + "as Feast requires");
    }
  }

  /**
   * The online store: {@code type} sqlite with a file {@code path}, or redis with a {@code
   * connectionString} such as {@code 127.0.0.1:6379} (Feast's form: {@code
   * host:port,password=...,ssl=true,db=0}).
   *
   * @param keyTtlSeconds Redis only: Feast's {@code key_ttl_seconds}, an EXPIRE on every written
   *     key; null for none
   */
  public record OnlineStoreConfig(
      String type, String path, String connectionString, Integer keyTtlSeconds)
      implements java.io.Serializable {
    public OnlineStoreConfig {
      requireNonNull(type, "type");
      if (!type.equals("sqlite") && !type.equals("redis")) {
        throw FeatureStoreErrors.repositoryConfiguration(
            "online_store.type `" + type + "` is not supported; use sqlite (a file) or redis");
      }
      if (type.equals("redis") && connectionString == null) {
        throw FeatureStoreErrors.repositoryConfiguration(
            "online_store of type redis needs a connection_string such as \"127.0.0.1:6379\"");
      }
      if (keyTtlSeconds != null && keyTtlSeconds <= 0) {
        throw FeatureStoreErrors.repositoryConfiguration(
            "online_store.key_ttl_seconds must be positive (or left out for no expiry)");
      }
    }

    /** A SQLite store in the file {@code path}. */
    public static OnlineStoreConfig sqlite(String path) {
      return new OnlineStoreConfig("sqlite", path, null, null);
    }

    /** A Redis store at {@code connectionString}. */
    public static OnlineStoreConfig redis(String connectionString) {
      return new OnlineStoreConfig("redis", null, connectionString, null);
    }
  }
}
