package dev.lakerank.featurestore.definition;

import static java.util.Objects.requireNonNull;

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
      throw new DefinitionException(
          "project `" + project + "` in feature_store.yaml may hold only letters, digits and _, "
              + "as Feast requires");
    }
  }

  /**
   * The online store: {@code type} sqlite with a file {@code path}, or redis with a
   * {@code connectionString} such as {@code 127.0.0.1:6379}.
   */
  public record OnlineStoreConfig(String type, String path, String connectionString) {
    public OnlineStoreConfig {
      requireNonNull(type, "type");
    }
  }
}
