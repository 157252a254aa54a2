package dev.lakerank.model.registry;

import dev.lakerank.model.bundle.ModelBundle;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where trained models are kept, between the jobs that train them and the servers that load them.
 */
public interface ModelRegistry extends AutoCloseable {
  /** The alias the serving API loads. */
  String CHAMPION = "champion";

  /** The alias of a candidate being compared with the champion. */
  String CHALLENGER = "challenger";

  /** Copies a verified bundle in as the next version of its model (the manifest's name). */
  ModelVersion register(ModelBundle bundle);

  /** Model names, sorted. */
  List<String> models();

  /** Every version of a model, oldest first; empty for an unknown model. */
  List<ModelVersion> versions(String model);

  /** One version; refused with the versions that exist when it does not. */
  ModelVersion version(String model, int version);

  /** Alias to version, for one model. */
  Map<String, Integer> aliases(String model);

  /** The version an alias points to, if set. */
  Optional<ModelVersion> alias(String model, String alias);

  /** Points an alias at a version, atomically; returns the version now aliased. */
  ModelVersion setAlias(String model, String alias, int version, String reason);

  /** Points an alias back at the version it held before its current one. */
  ModelVersion rollback(String model, String alias, String reason);

  /** Registrations and alias changes, oldest first. */
  List<RegistryEvent> history(String model);

  /**
   * Where this registry is, for messages: {@code registry /srv/registry}, {@code MLflow at
   * https://mlflow.example.com}.
   */
  default String describe() {
    return getClass().getSimpleName();
  }

  /** Opens (and verifies) a version's bundle; a remote registry downloads it first. */
  default ModelBundle open(ModelVersion version) {
    return ModelBundle.open(version.bundle());
  }

  /** Releases connections (a remote registry's); nothing for a directory. */
  @Override
  default void close() {}
}
