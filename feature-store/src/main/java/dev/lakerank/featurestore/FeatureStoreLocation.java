package dev.lakerank.featurestore;

import static java.util.Objects.requireNonNull;

import dev.lakerank.featurestore.definition.FeatureRepository;
import dev.lakerank.featurestore.definition.RepoConfig;
import dev.lakerank.featurestore.online.OnlineStore;
import dev.lakerank.featurestore.online.OnlineStores;
import dev.lakerank.featurestore.registry.FeastRegistry;
import java.nio.file.Path;

/**
 * The feature store as configured: the definitions, {@code registry.db} and the online store, with
 * relative paths of {@code feature_store.yaml} resolved (against the repository, as Feast does, or
 * against a data root) and an online store override applied. The jobs and the serving API resolve
 * it the same way.
 *
 * @param config the repository's configuration with absolute paths
 */
public record FeatureStoreLocation(
    FeatureRepository repository, RepoConfig config, Path registryFile) {
  public FeatureStoreLocation {
    requireNonNull(repository, "repository");
    requireNonNull(config, "config");
    requireNonNull(registryFile, "registryFile");
  }

  /**
   * The feature store of a repository.
   *
   * @param featureRepo the directory holding {@code feature_store.yaml} and the definitions
   * @param dataRoot where relative registry and SQLite paths resolve; null for the repository
   *     itself
   * @param onlineStore {@code repo} (as {@code feature_store.yaml} says), {@code sqlite:<path>} or
   *     {@code redis:<host:port>}
   */
  public static FeatureStoreLocation of(Path featureRepo, Path dataRoot, String onlineStore) {
    FeatureRepository repository = FeatureRepository.load(featureRepo);
    Path base = (dataRoot == null ? featureRepo : dataRoot).toAbsolutePath().normalize();
    RepoConfig yaml = repository.config();
    RepoConfig.OnlineStoreConfig online = yaml.onlineStore();
    String override = onlineStore == null ? "repo" : onlineStore;
    if (override.startsWith("sqlite:")) {
      online = RepoConfig.OnlineStoreConfig.sqlite(override.substring("sqlite:".length()));
    } else if (override.startsWith("redis:")) {
      online =
          new RepoConfig.OnlineStoreConfig(
              "redis", null, override.substring("redis:".length()), online.keyTtlSeconds());
    }
    if (online.type().equals("sqlite")) {
      online =
          new RepoConfig.OnlineStoreConfig(
              "sqlite", base.resolve(online.path()).toString(), null, null);
    }
    Path registry = base.resolve(yaml.registry());
    RepoConfig config =
        new RepoConfig(
            yaml.project(),
            registry.toString(),
            yaml.provider(),
            online,
            yaml.offlineStoreType(),
            yaml.entityKeySerializationVersion());
    return new FeatureStoreLocation(repository, config, registry);
  }

  /** Opens the online store, pooling {@code connections} SQLite connections. */
  public OnlineStore openOnline(int connections) {
    return OnlineStores.open(config, repository.directory(), connections);
  }

  /** The applied registry. */
  public FeastRegistry registry() {
    return FeastRegistry.read(registryFile);
  }

  /** The online store in a line: {@code sqlite /path/online.db} or {@code redis host:port}. */
  public String describeOnline() {
    RepoConfig.OnlineStoreConfig online = config.onlineStore();
    return online.type().equals("redis")
        ? "redis " + online.connectionString().split(",")[0]
        : "sqlite " + online.path();
  }
}
