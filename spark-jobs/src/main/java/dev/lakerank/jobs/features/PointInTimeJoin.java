package dev.lakerank.jobs.features;

import static java.util.Objects.requireNonNull;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.last;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.unix_micros;
import static org.apache.spark.sql.functions.when;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.apache.spark.sql.types.DataTypes;

/**
 * The point-in-time join, with Feast's semantics (FEAST_FORMATS.md section 6; Feast's {@code
 * offline_stores/dask.py} and the Spark SQL template): for each entity row at time {@code t}, the
 * feature row with the same join keys and the greatest event time such that {@code t - ttl <= event
 * time <= t} (both bounds inclusive; no lower bound when ttl is zero), ties broken by the greatest
 * created timestamp; null features when no row qualifies.
 *
 * <p>It runs as an as-of join: entity and feature rows are unioned per join key and ordered by
 * time, feature rows before entity rows at the same instant, and each entity row takes the last
 * feature row before it. That is one sort per view, however many feature rows an entity has, where
 * a range join would pair every entity row with every feature row of its key.
 */
public final class PointInTimeJoin {
  private static final String TIME = "__pit_time";
  private static final String CREATED = "__pit_created";
  private static final String IS_ENTITY = "__pit_is_entity";
  private static final String VALUES = "__pit_values";
  private static final String LATEST = "__pit_latest";
  private static final String FEATURE_TIME = "time";
  private static final String KEY = "__pit_key_";
  private static final String FOUND_TIME = "__pit_found_time";
  private static final String FEATURES = "features";

  private PointInTimeJoin() {}

  /**
   * One feature view's part of a join.
   *
   * @param source the view's offline rows
   * @param joinKeys columns present in both the entity rows and {@code source}
   * @param timestampField the event-time column of {@code source}
   * @param createdTimestampField the tie-breaking column of {@code source}, if any
   * @param ttl how old a row may be; {@link Duration#ZERO} for no limit
   * @param features source column to the name it gets in the result, in output order
   */
  public record ViewRequest(
      Dataset<Row> source,
      List<String> joinKeys,
      String timestampField,
      Optional<String> createdTimestampField,
      Duration ttl,
      Map<String, String> features) {
    public ViewRequest {
      requireNonNull(source, "source");
      joinKeys = List.copyOf(joinKeys);
      requireNonNull(timestampField, "timestampField");
      requireNonNull(createdTimestampField, "createdTimestampField");
      requireNonNull(ttl, "ttl");
      if (joinKeys.isEmpty()) {
        throw new IllegalArgumentException("a feature view needs at least one join key");
      }
    }
  }

  /**
   * {@code entities} with the features of every view added as they were at each row's {@code
   * timestampColumn}. Entity rows are kept as they are, one output row per input row.
   */
  public static Dataset<Row> join(
      Dataset<Row> entities, String timestampColumn, List<ViewRequest> views) {
    Dataset<Row> result = entities;
    for (ViewRequest view : views) {
      result = joinView(result, timestampColumn, view);
    }
    return result;
  }

  private static Dataset<Row> joinView(
      Dataset<Row> entities, String timestampColumn, ViewRequest view) {
    List<String> featureColumns = new ArrayList<>(view.features().keySet());

    List<Column> entityKeys = new ArrayList<>();
    List<Column> featureKeys = new ArrayList<>();
    for (String key : view.joinKeys()) {
      entityKeys.add(col(key));
      featureKeys.add(col(key));
    }
    // distinct (keys, time): two entity rows at the same instant get the same features
    Dataset<Row> points =
        entities
            .select(
                concat(entityKeys, col(timestampColumn).cast(DataTypes.TimestampType).alias(TIME)))
            .distinct()
            .withColumn(CREATED, lit(null).cast(DataTypes.TimestampType))
            .withColumn(IS_ENTITY, lit(1))
            .withColumn(VALUES, lit(null).cast(valuesType(view)));

    Column created =
        view.createdTimestampField()
            .map(c -> col(c).cast(DataTypes.TimestampType))
            .orElse(lit(null).cast(DataTypes.TimestampType));
    Column notNullKeys = lit(true);
    for (String key : view.joinKeys()) {
      notNullKeys = notNullKeys.and(col(key).isNotNull());
    }
    Dataset<Row> rows =
        view.source()
            .where(notNullKeys.and(col(view.timestampField()).isNotNull()))
            .select(
                concat(
                    featureKeys,
                    col(view.timestampField()).cast(DataTypes.TimestampType).alias(TIME),
                    created.alias(CREATED),
                    lit(0).alias(IS_ENTITY),
                    struct(
                            col(view.timestampField())
                                .cast(DataTypes.TimestampType)
                                .alias(FEATURE_TIME),
                            struct(featureColumns.stream().map(c -> col(c)).toArray(Column[]::new))
                                .alias(FEATURES))
                        .alias(VALUES)));

    WindowSpec asOf =
        Window.partitionBy(view.joinKeys().stream().map(c -> col(c)).toArray(Column[]::new))
            // at one instant, feature rows come before entity rows (the bound is inclusive) and
            // later-created rows after earlier ones (the last one wins)
            .orderBy(col(TIME), col(IS_ENTITY), col(CREATED).asc_nulls_first())
            .rowsBetween(Window.unboundedPreceding(), Window.currentRow());
    Dataset<Row> latest =
        points
            .unionByName(rows)
            .withColumn(LATEST, last(col(VALUES), true).over(asOf))
            .where(col(IS_ENTITY).equalTo(1));

    Column fresh = col(LATEST).isNotNull();
    if (!view.ttl().isZero()) {
      long ttlMicros = view.ttl().getSeconds() * 1_000_000L + view.ttl().getNano() / 1_000;
      fresh =
          fresh.and(
              unix_micros(col(LATEST + "." + FEATURE_TIME))
                  .geq(unix_micros(col(TIME)).minus(ttlMicros)));
    }
    // the found rows derive from the entity rows, so their key columns share lineage with them:
    // give them fresh names, or Spark reads `key = key` as trivially true
    List<Column> selected = new ArrayList<>();
    List<String> keyAliases = new ArrayList<>();
    for (int i = 0; i < view.joinKeys().size(); i++) {
      keyAliases.add(KEY + i);
      selected.add(col(view.joinKeys().get(i)).alias(KEY + i));
    }
    selected.add(col(TIME).alias(FOUND_TIME));
    for (Map.Entry<String, String> feature : view.features().entrySet()) {
      selected.add(
          when(fresh, col(LATEST + "." + FEATURES + "." + feature.getKey()))
              .alias(feature.getValue()));
    }
    Dataset<Row> found = latest.select(selected.toArray(Column[]::new));

    Column on =
        entities.col(timestampColumn).cast(DataTypes.TimestampType).equalTo(found.col(FOUND_TIME));
    for (int i = 0; i < view.joinKeys().size(); i++) {
      on = on.and(entities.col(view.joinKeys().get(i)).equalTo(found.col(keyAliases.get(i))));
    }
    Dataset<Row> joined = entities.join(found, on, "left_outer").drop(FOUND_TIME);
    for (String alias : keyAliases) {
      joined = joined.drop(alias);
    }
    return joined;
  }

  private static org.apache.spark.sql.types.DataType valuesType(ViewRequest view) {
    return view.source()
        .select(
            struct(
                col(view.timestampField()).cast(DataTypes.TimestampType).alias(FEATURE_TIME),
                struct(view.features().keySet().stream().map(c -> col(c)).toArray(Column[]::new))
                    .alias(FEATURES)))
        .schema()
        .fields()[0]
        .dataType();
  }

  private static Column[] concat(List<Column> first, Column... rest) {
    List<Column> all = new ArrayList<>(first);
    all.addAll(List.of(rest));
    return all.toArray(Column[]::new);
  }
}
