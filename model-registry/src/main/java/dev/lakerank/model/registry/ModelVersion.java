package dev.lakerank.model.registry;

import dev.lakerank.model.bundle.Manifest;
import java.nio.file.Path;
import java.util.Objects;

/**
 * One registered version: its manifest (kind, metrics, params, lineage) and where its bundle is.
 *
 * @param bundle the bundle's directory on this machine: the version's directory in a local
 *     registry; for MLflow, the local cache the bundle is downloaded to by {@link
 *     ModelRegistry#open}
 * @param registeredAt ISO-8601 UTC
 * @param source where the registry keeps the bundle: the same directory for a local registry, the
 *     model version's {@code source} (its run's artifacts) for MLflow
 */
public record ModelVersion(
    String model, int version, Manifest manifest, Path bundle, String registeredAt, String source) {
  public ModelVersion {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(manifest, "manifest");
    Objects.requireNonNull(bundle, "bundle");
    Objects.requireNonNull(source, "source");
  }

  /** A version kept in a directory: its source is that directory. */
  public ModelVersion(
      String model, int version, Manifest manifest, Path bundle, String registeredAt) {
    this(model, version, manifest, bundle, registeredAt, bundle.toString());
  }
}
