package dev.lakerank.jobs.features;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.dayofweek;
import static org.apache.spark.sql.functions.hour;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import dev.lakerank.featurestore.definition.FeatureReference;
import dev.lakerank.featurestore.definition.FeatureService;
import dev.lakerank.jobs.Reporter;
import dev.lakerank.jobs.catalog.Lakehouse;
import dev.lakerank.jobs.catalog.TableName;
import dev.lakerank.jobs.tables.EventType;
import dev.lakerank.jobs.tables.RankerTrainingSet;
import dev.lakerank.jobs.tables.SilverInteractions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;

/**
 * The ranker's training set: every impression in silver, labelled by whether a click or purchase
 * followed it, with its context and the features of a feature service as they were at the
 * impression's time.
 */
public final class TrainingSetBuilder {
  private final Lakehouse lakehouse;
  private final HistoricalFeatures historical;
  private final Reporter reporter;

  public TrainingSetBuilder(Lakehouse lakehouse, HistoricalFeatures historical, Reporter reporter) {
    this.lakehouse = lakehouse;
    this.historical = historical;
    this.reporter = reporter;
  }

  /** What was built. */
  public record Summary(TableName table, long rows, long clicks, List<FeatureReference> features) {}

  /**
   * The entity rows: impressions with labels and context. Clicks and purchases name the impression
   * they follow in {@code impression_id}.
   */
  public static Dataset<Row> labelledImpressions(Dataset<Row> interactions) {
    Column type = col(SilverInteractions.EVENT_TYPE);
    Dataset<Row> impressions = interactions.where(type.equalTo(EventType.IMPRESSION.value()));
    Dataset<Row> clicked = followUps(interactions, EventType.CLICK, "_clicked");
    Dataset<Row> purchased = followUps(interactions, EventType.PURCHASE, "_purchased");
    return impressions
        .join(
            clicked,
            impressions.col(SilverInteractions.EVENT_ID).equalTo(clicked.col("_clicked")),
            "left_outer")
        .join(
            purchased,
            impressions.col(SilverInteractions.EVENT_ID).equalTo(purchased.col("_purchased")),
            "left_outer")
        .select(
            col(SilverInteractions.EVENT_ID).alias(RankerTrainingSet.IMPRESSION_ID),
            col(SilverInteractions.USER_ID).alias(RankerTrainingSet.USER_ID),
            col(SilverInteractions.ITEM_ID).alias(RankerTrainingSet.ITEM_ID),
            col(SilverInteractions.EVENT_TIME).alias(RankerTrainingSet.EVENT_TIMESTAMP),
            col(SilverInteractions.DEVICE).alias(RankerTrainingSet.DEVICE),
            hour(col(SilverInteractions.EVENT_TIME)).alias(RankerTrainingSet.HOUR_OF_DAY),
            dayofweek(col(SilverInteractions.EVENT_TIME)).alias(RankerTrainingSet.DAY_OF_WEEK),
            when(col("_clicked").isNotNull(), lit(1))
                .otherwise(lit(0))
                .alias(RankerTrainingSet.LABEL_CLICK),
            when(col("_purchased").isNotNull(), lit(1))
                .otherwise(lit(0))
                .alias(RankerTrainingSet.LABEL_PURCHASE));
  }

  private static Dataset<Row> followUps(Dataset<Row> interactions, EventType type, String alias) {
    return interactions
        .where(
            col(SilverInteractions.EVENT_TYPE)
                .equalTo(type.value())
                .and(col(SilverInteractions.IMPRESSION_ID).isNotNull()))
        .select(col(SilverInteractions.IMPRESSION_ID).alias(alias))
        .distinct();
  }

  /** Builds {@code gold.ranker_training_set} from the features of {@code serviceName}. */
  public Summary build(String serviceName) {
    FeatureService service = historical.repository().featureService(serviceName);
    List<FeatureReference> references = service.references();
    reporter.step(
        "training set: impressions with "
            + references.size()
            + " features of service `"
            + serviceName
            + "`");
    // the versions read are fixed first, so the lineage recorded below is exactly what was read
    // even if a transform or a feature build commits meanwhile
    Set<TableName> sources = new LinkedHashSet<>();
    sources.add(SilverInteractions.NAME);
    for (FeatureReference reference : references) {
      sources.add(
          TableName.parse(
              historical.repository().featureView(reference.featureView()).source().table()));
    }
    Map<TableName, Long> versions = new LinkedHashMap<>();
    for (TableName source : sources) {
      long version = lakehouse.version(source);
      if (version >= 0) {
        versions.put(source, version);
      }
    }
    Long silverVersion = versions.get(SilverInteractions.NAME);
    Dataset<Row> entities =
        labelledImpressions(
            silverVersion == null
                ? lakehouse.read(SilverInteractions.NAME)
                : lakehouse.read(SilverInteractions.NAME, silverVersion));
    Dataset<Row> rows = historical.get(entities, references, true, versions);

    lakehouse.createIfNotExists(RankerTrainingSet.definition(rows.schema()));
    rows.write()
        .format("delta")
        .mode(SaveMode.Overwrite)
        .option("overwriteSchema", "true")
        .save(lakehouse.location(RankerTrainingSet.NAME));

    List<String> lineage = new ArrayList<>();
    versions.forEach((source, version) -> lineage.add(source + "@" + version));
    String refs =
        references.stream().map(FeatureReference::toString).collect(Collectors.joining(","));
    lakehouse
        .spark()
        .sql(
            "ALTER TABLE delta.`"
                + lakehouse.location(RankerTrainingSet.NAME)
                + "` SET TBLPROPERTIES ("
                + "'"
                + RankerTrainingSet.FEATURE_SERVICE_PROPERTY
                + "' = '"
                + serviceName
                + "', "
                + "'"
                + RankerTrainingSet.FEATURE_REFS_PROPERTY
                + "' = '"
                + refs
                + "', "
                + "'"
                + RankerTrainingSet.SOURCE_VERSIONS_PROPERTY
                + "' = '"
                + String.join(",", lineage)
                + "')");

    Row counts =
        lakehouse
            .read(RankerTrainingSet.NAME)
            .selectExpr("count(*)", "coalesce(sum(" + RankerTrainingSet.LABEL_CLICK + "), 0)")
            .head();
    if (counts.getLong(0) == 0) {
      reporter.detail(
          "the training set is empty: silver.interactions holds no impressions "
              + "(rating-only data sets such as MovieLens have none)");
    }
    return new Summary(RankerTrainingSet.NAME, counts.getLong(0), counts.getLong(1), references);
  }
}
