package dev.lakerank.jobs.features;

import static java.util.Objects.requireNonNull;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.timestamp_micros;
import static org.apache.spark.sql.functions.unix_micros;

import dev.lakerank.featurestore.definition.FeatureReference;
import dev.lakerank.featurestore.definition.FeatureRepository;
import dev.lakerank.featurestore.definition.FeatureView;
import dev.lakerank.featurestore.definition.ValueType;
import dev.lakerank.featurestore.errors.DefinitionException;
import dev.lakerank.jobs.JobErrors;
import dev.lakerank.jobs.LakerankException;
import dev.lakerank.jobs.catalog.Lakehouse;
import dev.lakerank.jobs.catalog.TableName;
import dev.lakerank.jobs.tables.FeatureTableColumns;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Feast's {@code get_historical_features} over the lakehouse: entity rows with join keys and an
 * {@code event_timestamp}, plus feature references, give the rows with each feature as it was at
 * the row's time ({@link PointInTimeJoin}).
 *
 * <p>One difference from Feast: a row of a stream feature view is visible from one microsecond
 * after its event time, not at it. Its values count the event at that time, which is the very
 * impression a training row is about; serving answers before that impression exists.
 *
 * <p>Example:
 *
 * <pre>{@code
 * Dataset<Row> rows = historical.get(impressions, List.of(FeatureReference.parse("user_activity:ctr_7d")), true);
 * // adds column user_activity__ctr_7d
 * }</pre>
 */
public final class HistoricalFeatures {
  /** The entity rows' time column, as Feast names it. */
  public static final String ENTITY_TIMESTAMP = FeatureTableColumns.EVENT_TIMESTAMP;

  private final Lakehouse lakehouse;
  private final FeatureRepository repository;

  public HistoricalFeatures(Lakehouse lakehouse, FeatureRepository repository) {
    this.lakehouse = requireNonNull(lakehouse, "lakehouse");
    this.repository = requireNonNull(repository, "repository");
  }

  public FeatureRepository repository() {
    return repository;
  }

  /**
   * The features of {@code references} for every row of {@code entityRows}.
   *
   * @param fullFeatureNames name columns {@code <view>__<feature>} (Feast's {@code
   *     full_feature_names=True}) rather than {@code <feature>}
   * @throws LakerankException naming the reference, view, column or table that is wrong and the fix
   */
  public Dataset<Row> get(
      Dataset<Row> entityRows, List<FeatureReference> references, boolean fullFeatureNames) {
    return get(entityRows, references, fullFeatureNames, Map.of());
  }

  /**
   * As {@link #get(Dataset, List, boolean)}, reading each source table named in {@code versions} at
   * that Delta version, so that the caller can record exactly what was read.
   */
  public Dataset<Row> get(
      Dataset<Row> entityRows,
      List<FeatureReference> references,
      boolean fullFeatureNames,
      Map<TableName, Long> versions) {
    if (!Arrays.asList(entityRows.columns()).contains(ENTITY_TIMESTAMP)) {
      throw JobErrors.invalidInput(
          "entity rows have no `"
              + ENTITY_TIMESTAMP
              + "` column (found: "
              + String.join(", ", entityRows.columns())
              + "); add the time each row's features should be read at");
    }
    Map<String, Map<String, String>> byView = new LinkedHashMap<>();
    Set<String> outputNames = new HashSet<>();
    for (FeatureReference reference : references) {
      try {
        repository.feature(reference);
      } catch (DefinitionException e) {
        throw JobErrors.invalidInput("feature reference `" + reference + "`: " + e.getMessage(), e);
      }
      String output = fullFeatureNames ? reference.fullName() : reference.feature();
      if (!outputNames.add(output) || Arrays.asList(entityRows.columns()).contains(output)) {
        throw JobErrors.invalidInput(
            "two features would both be named `"
                + output
                + "`; ask for full feature names (<view>__<feature>)");
      }
      byView
          .computeIfAbsent(reference.featureView(), v -> new LinkedHashMap<>())
          .put(reference.feature(), output);
    }

    List<PointInTimeJoin.ViewRequest> requests = new ArrayList<>();
    for (Map.Entry<String, Map<String, String>> entry : byView.entrySet()) {
      FeatureView view = repository.featureView(entry.getKey());
      List<String> joinKeys = repository.joinKeys(view);
      for (String key : joinKeys) {
        if (!Arrays.asList(entityRows.columns()).contains(key)) {
          throw JobErrors.invalidInput(
              "entity rows have no `"
                  + key
                  + "` column, the join key of feature view `"
                  + view.name()
                  + "` (found: "
                  + String.join(", ", entityRows.columns())
                  + ")");
        }
      }
      Dataset<Row> source = source(view, entry.getValue().keySet(), versions);
      if (view.isStream()) {
        // a stream view's row at t counts the event at t itself: it can only be seen after it, so
        // an impression never reads its own count (serving answers before the impression exists)
        Column time = col(view.source().timestampField());
        source =
            source.withColumn(
                view.source().timestampField(), timestamp_micros(unix_micros(time).plus(1)));
      }
      requests.add(
          new PointInTimeJoin.ViewRequest(
              source,
              joinKeys,
              view.source().timestampField(),
              view.source().createdTimestamp(),
              view.ttl(),
              entry.getValue()));
    }
    return PointInTimeJoin.join(entityRows, ENTITY_TIMESTAMP, requests);
  }

  /**
   * Checks that {@code view}'s offline table exists and holds its join keys, timestamp columns and
   * every feature with the declared types.
   *
   * @throws LakerankException naming the view, the column and the fix
   */
  public void check(FeatureView view) {
    source(view, new LinkedHashSet<>(view.featureNames()), Map.of());
  }

  /** The view's offline table, checked to hold the columns and types the definition promises. */
  Dataset<Row> source(FeatureView view, Set<String> features, Map<TableName, Long> versions) {
    TableName table;
    try {
      table = TableName.parse(view.source().table());
    } catch (LakerankException e) {
      throw JobErrors.invalidInput(
          "feature view `" + view.name() + "`: source " + e.getMessage(), e);
    }
    if (!lakehouse.exists(table)) {
      throw JobErrors.notFound(
          "feature view `"
              + view.name()
              + "` reads "
              + table
              + ", which does not exist under "
              + lakehouse.root()
              + "; run `lakerank features build` first");
    }
    Dataset<Row> source =
        versions.containsKey(table)
            ? lakehouse.read(table, versions.get(table))
            : lakehouse.read(table);
    StructType schema = source.schema();
    checkColumns(view, table, schema, features);
    checkTypes(view, table, schema, features);
    return source;
  }

  /** The join keys, the timestamps and the features the view reads are columns of its table. */
  private void checkColumns(
      FeatureView view, TableName table, StructType schema, Set<String> features) {
    List<String> required = new ArrayList<>(repository.joinKeys(view));
    required.add(view.source().timestampField());
    view.source().createdTimestamp().ifPresent(required::add);
    required.addAll(features);
    for (String column : required) {
      if (!Arrays.asList(schema.fieldNames()).contains(column)) {
        throw JobErrors.invalidInput(
            "feature view `"
                + view.name()
                + "`: column `"
                + column
                + "` is missing from "
                + table
                + " (found: "
                + String.join(", ", schema.fieldNames())
                + "); fix the definition in "
                + repository.directory()
                + " or rebuild the table");
      }
    }
  }

  /** The join keys, timestamps and features have the types the definition declares. */
  private void checkTypes(
      FeatureView view, TableName table, StructType schema, Set<String> features) {
    for (String entityName : view.entities()) {
      var entity = repository.entity(entityName);
      DataType actual = schema.apply(entity.joinKey()).dataType();
      if (!actual.equals(sparkType(entity.valueType()))) {
        throw JobErrors.invalidInput(
            "feature view `"
                + view.name()
                + "`: join key `"
                + entity.joinKey()
                + "` of entity `"
                + entity.name()
                + "` is declared "
                + entity.valueType().dtypeName()
                + " but "
                + table
                + "."
                + entity.joinKey()
                + " is "
                + actual.simpleString()
                + "; change the entity's value_type to "
                + dtypeOf(actual)
                + " or cast the column");
      }
    }
    List<String> times = new ArrayList<>(List.of(view.source().timestampField()));
    view.source().createdTimestamp().ifPresent(times::add);
    for (String time : times) {
      DataType actual = schema.apply(time).dataType();
      if (!actual.equals(DataTypes.TimestampType) && !actual.equals(DataTypes.DateType)) {
        throw JobErrors.invalidInput(
            "feature view `"
                + view.name()
                + "`: timestamp column `"
                + time
                + "` of "
                + table
                + " is "
                + actual.simpleString()
                + ", not a timestamp; point timestamp_field at a timestamp column or cast it");
      }
    }
    for (String feature : features) {
      ValueType type = view.feature(feature).orElseThrow().valueType();
      DataType actual = schema.apply(feature).dataType();
      if (!actual.equals(sparkType(type))) {
        throw JobErrors.invalidInput(
            "feature `"
                + view.name()
                + ":"
                + feature
                + "` is declared "
                + type.dtypeName()
                + " but "
                + table
                + "."
                + feature
                + " is "
                + actual.simpleString()
                + "; change its dtype to "
                + dtypeOf(actual)
                + " or cast the column");
      }
    }
  }

  /** The Spark type that holds a Feast value type. */
  public static DataType sparkType(ValueType type) {
    return switch (type) {
      case BYTES -> DataTypes.BinaryType;
      case STRING -> DataTypes.StringType;
      case INT32 -> DataTypes.IntegerType;
      case INT64 -> DataTypes.LongType;
      case DOUBLE -> DataTypes.DoubleType;
      case FLOAT -> DataTypes.FloatType;
      case BOOL -> DataTypes.BooleanType;
      case UNIX_TIMESTAMP -> DataTypes.TimestampType;
    };
  }

  private static String dtypeOf(DataType type) {
    for (ValueType valueType : ValueType.values()) {
      if (sparkType(valueType).equals(type)) {
        return valueType.dtypeName();
      }
    }
    return "a supported type";
  }
}
