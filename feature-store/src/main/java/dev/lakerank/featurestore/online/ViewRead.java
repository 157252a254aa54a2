package dev.lakerank.featurestore.online;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * A read of some features of one view for some entities.
 *
 * @param entityKeys serialized entity keys ({@link dev.lakerank.featurestore.format.EntityKeys}),
 *     without the project
 */
public record ViewRead(OnlineView view, List<String> features, List<byte[]> entityKeys) {
  public ViewRead {
    requireNonNull(view, "view");
    features = List.copyOf(features);
    entityKeys = List.copyOf(entityKeys);
  }
}
