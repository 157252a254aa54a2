package dev.lakerank.serving.features;

import dev.lakerank.featurestore.definition.FeatureReference;
import dev.lakerank.serving.errors.ServingException;
import java.util.List;
import java.util.Map;

/**
 * Where the serving API reads online features: the feature-store library in process, or a Feast
 * gRPC server.
 */
public interface FeatureSource extends AutoCloseable {
  /** The join key of every online feature view, by view name. */
  Map<String, String> joinKeys();

  /**
   * The features {@code refs} (all of views keyed by {@code joinKey}) for each id, in order.
   *
   * @throws ServingException (503) when the store cannot be read
   */
  FeatureBlock read(String joinKey, long[] ids, List<FeatureReference> refs);

  /** Throws {@link ServingException} (503) unless the store answers. */
  void ping();

  /**
   * The clock features are read by: now, or the fixed {@code lakerank.features.as-of}. Requests
   * default to its time.
   */
  java.time.Clock clock();

  /** One line for logs and {@code /v1/models}: the kind of source and where it reads. */
  String describe();

  @Override
  void close();
}
