package dev.lakerank.serving.models;

import dev.lakerank.model.bundle.Manifest;
import java.time.Instant;

/**
 * A model version in memory, ready to score.
 *
 * @param name the registered name
 * @param version the registry version
 * @param manifest the bundle's manifest (kind, metrics, lineage, inputs)
 * @param loadedAt when this process loaded it
 * @param scorer what scores with it
 */
public record LoadedModel<T>(
    String name, int version, Manifest manifest, Instant loadedAt, T scorer) {
  /** {@code ranker@3}: how responses, metrics and logs name it. */
  public String label() {
    return name + "@" + version;
  }
}
