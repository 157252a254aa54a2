package dev.lakerank.serving.config;

import java.util.Arrays;
import java.util.Locale;

/** Where the serving API reads online features ({@code lakerank.features.source}). */
public enum FeatureSourceKind {
  /** The online store, read here through the feature-store library. */
  IN_PROCESS,
  /** A Feast feature server over gRPC. */
  FEAST_GRPC;

  /** The name in configuration: {@code in-process}, {@code feast-grpc}. */
  public String value() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /**
   * The kind a configuration value names.
   *
   * @throws IllegalArgumentException naming the setting and the choices
   */
  public static FeatureSourceKind parse(String text) {
    return Arrays.stream(values())
        .filter(kind -> kind.value().equals(text.strip().toLowerCase(Locale.ROOT)))
        .findFirst()
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "lakerank.features.source is '"
                        + text
                        + "'; use in-process (the online store, read here) or feast-grpc (a Feast feature server)"));
  }
}
