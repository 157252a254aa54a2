package dev.lakerank.featurestore.online;

import static java.util.Objects.requireNonNull;

import feast.proto.types.EntityKeyProto.EntityKey;
import feast.proto.types.ValueProto.Value;
import java.time.Instant;
import java.util.Map;

/**
 * One entity's values of one feature view at one event time, as materialization writes them.
 *
 * @param createdTime when the row was computed, or null (SQLite keeps it; Redis does not)
 */
public record OnlineRow(
    EntityKey entityKey, Map<String, Value> values, Instant eventTime, Instant createdTime) {
  public OnlineRow {
    requireNonNull(entityKey, "entityKey");
    values = Map.copyOf(values);
    requireNonNull(eventTime, "eventTime");
  }
}
