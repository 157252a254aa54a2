package dev.lakerank.featurestore.online;

import dev.lakerank.featurestore.definition.RepoConfig;
import java.nio.file.Path;

/** Opens the online store a {@code feature_store.yaml} names. */
public final class OnlineStores {
  private OnlineStores() {}

  /**
   * Opens the store of {@code config}.
   *
   * @param repository the feature repository's directory, against which a relative SQLite path
   *     resolves (as in Feast)
   * @param connections SQLite connections to pool (concurrent callers); Redis multiplexes one
   */
  public static OnlineStore open(RepoConfig config, Path repository, int connections) {
    return open(config.onlineStore(), config.project(), repository, connections);
  }

  /** Opens the store {@code online} describes, for {@code project}. */
  public static OnlineStore open(
      RepoConfig.OnlineStoreConfig online, String project, Path repository, int connections) {
    if (online.type().equals("redis")) {
      return new RedisOnlineStore(online.connectionString(), project, online.keyTtlSeconds());
    }
    Path path = Path.of(online.path());
    return new SqliteOnlineStore(
        path.isAbsolute() ? path : repository.resolve(path), project, connections);
  }
}
