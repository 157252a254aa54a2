package dev.lakerank.serving.config;

import java.util.Arrays;
import java.util.Locale;

/** Which model registry the champions come from ({@code lakerank.registry.type}). */
public enum RegistryType {
  /** The directory {@code lakerank.serving.registry}. */
  LOCAL,
  /** An MLflow tracking server ({@code lakerank.registry.mlflow.*}). */
  MLFLOW;

  public String value() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * The type a configuration value names.
   *
   * @throws IllegalArgumentException naming the setting and the choices
   */
  public static RegistryType parse(String text) {
    return Arrays.stream(values())
        .filter(type -> type.value().equals(text.strip().toLowerCase(Locale.ROOT)))
        .findFirst()
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "setting `lakerank.registry.type` is `"
                        + text
                        + "`: write `local` (the directory lakerank.serving.registry) or `mlflow` (with lakerank.registry.mlflow.tracking-uri)"));
  }
}
