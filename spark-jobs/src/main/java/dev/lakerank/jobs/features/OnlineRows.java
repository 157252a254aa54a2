package dev.lakerank.jobs.features;

import static org.apache.spark.sql.functions.col;

import dev.lakerank.featurestore.definition.Feature;
import dev.lakerank.featurestore.format.FeatureValues;
import dev.lakerank.featurestore.online.OnlineRow;
import dev.lakerank.featurestore.online.OnlineView;
import feast.proto.types.EntityKeyProto.EntityKey;
import feast.proto.types.ValueProto.Value;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Row;

/**
 * Spark rows as the online store's rows, for materialization and the streaming push: rows laid out
 * as {@link #columns} gives them (join keys, event time, created time, the view's features) become
 * {@link OnlineRow}s with Feast's value types.
 */
public final class OnlineRows {
  private OnlineRows() {}

  /**
   * The columns to select, in order, from a table with the view's join keys and features under
   * their own names.
   */
  public static List<Column> columns(OnlineView view, Column eventTime, Column createdTime) {
    List<Column> columns = new ArrayList<>();
    for (String key : view.joinKeyNames()) {
      columns.add(col(key));
    }
    columns.add(eventTime.alias("__event_time"));
    columns.add(createdTime.alias("__created_time"));
    for (Feature feature : view.features()) {
      columns.add(col(feature.name()));
    }
    return columns;
  }

  /** One row selected with {@link #columns} as the store's row. */
  public static OnlineRow of(OnlineView view, Row row) {
    EntityKey.Builder key = EntityKey.newBuilder();
    int at = 0;
    for (OnlineView.JoinKey joinKey : view.joinKeys()) {
      key.addJoinKeys(joinKey.name())
          .addEntityValues(FeatureValues.toProto(row.get(at++), joinKey.type()));
    }
    Instant eventTime = row.getTimestamp(at++).toInstant();
    Instant createdTime = row.isNullAt(at) ? null : row.getTimestamp(at).toInstant();
    at++;
    Map<String, Value> values = new LinkedHashMap<>();
    for (Feature feature : view.features()) {
      values.put(feature.name(), FeatureValues.toProto(row.get(at++), feature.valueType()));
    }
    return new OnlineRow(key.build(), values, eventTime, createdTime);
  }
}
