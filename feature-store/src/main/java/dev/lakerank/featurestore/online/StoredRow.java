package dev.lakerank.featurestore.online;

import static java.util.Objects.requireNonNull;

import feast.proto.types.ValueProto.Value;
import java.time.Instant;
import java.util.Map;

/**
 * What the online store holds for one entity in one feature view.
 *
 * @param values the requested features that are stored (a feature not stored is absent; a stored
 *     null is an empty {@link Value})
 * @param eventTime the event time of the stored row, or null when the store did not record one
 */
public record StoredRow(Map<String, Value> values, Instant eventTime) {
  public StoredRow {
    requireNonNull(values, "values");
  }
}
