package dev.lakerank.jobs.train;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_set;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.when;

import dev.lakerank.featurestore.definition.FeatureReference;
import dev.lakerank.jobs.JobErrors;
import dev.lakerank.jobs.Reporter;
import dev.lakerank.jobs.catalog.Lakehouse;
import dev.lakerank.jobs.features.HistoricalFeatures;
import dev.lakerank.jobs.tables.BatchRecommendations;
import dev.lakerank.jobs.tables.EventType;
import dev.lakerank.jobs.tables.RankerTrainingSet;
import dev.lakerank.jobs.tables.SilverInteractions;
import dev.lakerank.jobs.tables.SilverUsers;
import dev.lakerank.model.als.AlsScorer;
import dev.lakerank.model.als.Recommendation;
import dev.lakerank.model.als.Recommendations;
import dev.lakerank.model.bundle.ModelBundle;
import dev.lakerank.model.ranker.Input;
import dev.lakerank.model.ranker.RankerScorer;
import dev.lakerank.model.registry.ModelVersion;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * {@code lakerank batch-score}: for every user, the ALS bundle's top N candidates (items the user
 * interacted with excluded; a popularity fallback for users ALS does not know), their features as
 * of now by the same point-in-time join the training set uses, scored by the ranker bundle, top K
 * kept. Scoring runs the exported Java scorers on the executors, the same code the serving API
 * runs, so the table shows what serving would answer. Bundles are read from the registry's path on
 * each executor (local mode, or a registry on a shared file system).
 */
public final class BatchScorer {
  private final Lakehouse lakehouse;
  private final HistoricalFeatures historical;
  private final Reporter reporter;

  public BatchScorer(Lakehouse lakehouse, HistoricalFeatures historical, Reporter reporter) {
    this.lakehouse = lakehouse;
    this.historical = historical;
    this.reporter = reporter;
  }

  public record Summary(long users, long rows, long fallbackUsers) {}

  public Summary score(
      ModelVersion recommender, ModelVersion ranker, int k, int candidates, Instant now) {
    if (!lakehouse.exists(SilverInteractions.NAME)) {
      throw JobErrors.notFound(
          "silver.interactions does not exist yet: run `lakerank pipeline run` first");
    }
    RankerScorer rankerScorer = RankerScorer.load(ModelBundle.open(ranker.bundle()));
    List<Input> inputs = rankerScorer.inputs();
    List<FeatureReference> references = new ArrayList<>();
    for (Input input : inputs) {
      String name = RankerTrainer.referenceName(input.name());
      if (name.contains(":")) {
        references.add(FeatureReference.parse(name));
      }
    }
    Dataset<Row> candidateRows = candidateRows(recommender, candidates);

    ZonedDateTime at = now.atZone(ZoneOffset.UTC);
    Dataset<Row> entities =
        candidateRows
            .withColumn(HistoricalFeatures.ENTITY_TIMESTAMP, lit(Timestamp.from(now)))
            .withColumn(RankerTrainingSet.DEVICE, lit(null).cast("string"))
            .withColumn(RankerTrainingSet.HOUR_OF_DAY, lit(at.getHour()))
            .withColumn(RankerTrainingSet.DAY_OF_WEEK, lit(at.getDayOfWeek().getValue() % 7 + 1));
    reporter.step(
        "batch-score: features as of "
            + now
            + " and ranker "
            + ranker.model()
            + " v"
            + ranker.version());
    Dataset<Row> featured = historical.get(entities, references, true);

    Dataset<Row> top = topK(featured, recommender, ranker, inputs, k, now);
    lakehouse.createIfNotExists(BatchRecommendations.DEFINITION);
    top.write()
        .format("delta")
        .mode(SaveMode.Overwrite)
        .save(lakehouse.location(BatchRecommendations.NAME));
    Row counts =
        lakehouse
            .read(BatchRecommendations.NAME)
            .select(
                countDistinct(col(BatchRecommendations.USER_ID)),
                count(lit(1)),
                countDistinct(
                    when(col(BatchRecommendations.FALLBACK), col(BatchRecommendations.USER_ID))))
            .head();
    return new Summary(counts.getLong(0), counts.getLong(1), counts.getLong(2));
  }

  /** Per user, the recommender's top {@code candidates} items the user has not interacted with. */
  private Dataset<Row> candidateRows(ModelVersion recommender, int candidates) {
    Dataset<Row> users =
        lakehouse.exists(SilverUsers.NAME)
            ? lakehouse
                .read(SilverUsers.NAME)
                .select(col(SilverUsers.USER_ID).alias(BatchRecommendations.USER_ID))
            : lakehouse
                .read(SilverInteractions.NAME)
                .select(col(SilverInteractions.USER_ID).alias(BatchRecommendations.USER_ID))
                .distinct();
    Dataset<Row> seen =
        lakehouse
            .read(SilverInteractions.NAME)
            .where(
                col(SilverInteractions.EVENT_TYPE)
                    .isin(
                        EventType.CLICK.value(),
                        EventType.PURCHASE.value(),
                        EventType.RATING.value()))
            .groupBy(SilverInteractions.USER_ID)
            .agg(collect_set(SilverInteractions.ITEM_ID).alias("_seen"));
    reporter.step(
        String.format(
            "batch-score: %d ALS candidates per user from %s v%d",
            candidates, recommender.model(), recommender.version()));
    String alsPath = recommender.bundle().toString();
    StructType candidateSchema =
        new StructType()
            .add(BatchRecommendations.USER_ID, DataTypes.LongType, false)
            .add(BatchRecommendations.ITEM_ID, DataTypes.LongType, false)
            .add(RankerTrainer.ALS_SCORE, DataTypes.DoubleType, true)
            .add(BatchRecommendations.FALLBACK, DataTypes.BooleanType, false);
    MapPartitionsFunction<Row, Row> generate = candidates(alsPath, candidates);
    Dataset<Row> candidateRows =
        users
            .join(
                seen,
                users
                    .col(BatchRecommendations.USER_ID)
                    .equalTo(seen.col(SilverInteractions.USER_ID)),
                "left_outer")
            .select(users.col(BatchRecommendations.USER_ID), col("_seen"))
            .mapPartitions(generate, Encoders.row(candidateSchema));
    return candidateRows;
  }

  /** The candidates ranked by the ranker, the top {@code k} per user, as table rows. */
  private Dataset<Row> topK(
      Dataset<Row> featured,
      ModelVersion recommender,
      ModelVersion ranker,
      List<Input> inputs,
      int k,
      Instant now) {
    String rankerPath = ranker.bundle().toString();
    List<String> names = inputs.stream().map(Input::name).toList();
    String recommenderLabel = recommender.model() + " v" + recommender.version();
    String rankerLabel = ranker.model() + " v" + ranker.version();
    Timestamp scoredAt = Timestamp.from(now);
    StructType scoredSchema =
        new StructType()
            .add(BatchRecommendations.USER_ID, DataTypes.LongType, false)
            .add(BatchRecommendations.ITEM_ID, DataTypes.LongType, false)
            .add(BatchRecommendations.SCORE, DataTypes.DoubleType, false)
            .add(RankerTrainer.ALS_SCORE, DataTypes.DoubleType, true)
            .add(BatchRecommendations.FALLBACK, DataTypes.BooleanType, false);
    Dataset<Row> selected =
        featured.select(
            java.util.stream.Stream.concat(
                    java.util.stream.Stream.of(
                        BatchRecommendations.USER_ID,
                        BatchRecommendations.ITEM_ID,
                        BatchRecommendations.FALLBACK),
                    names.stream())
                .map(name -> col(name))
                .toArray(org.apache.spark.sql.Column[]::new));
    MapPartitionsFunction<Row, Row> rank = ranking(rankerPath, names);
    Dataset<Row> scored = selected.mapPartitions(rank, Encoders.row(scoredSchema));
    Dataset<Row> top =
        scored
            .withColumn(
                BatchRecommendations.RANK,
                row_number()
                    .over(
                        Window.partitionBy(BatchRecommendations.USER_ID)
                            .orderBy(
                                col(BatchRecommendations.SCORE).desc(),
                                col(BatchRecommendations.ITEM_ID).asc())))
            .where(col(BatchRecommendations.RANK).leq(k))
            .select(
                col(BatchRecommendations.USER_ID),
                col(BatchRecommendations.RANK),
                col(BatchRecommendations.ITEM_ID),
                col(BatchRecommendations.SCORE),
                col(RankerTrainer.ALS_SCORE),
                col(BatchRecommendations.FALLBACK),
                lit(recommenderLabel).alias(BatchRecommendations.RECOMMENDER),
                lit(rankerLabel).alias(BatchRecommendations.RANKER),
                lit(scoredAt).alias(BatchRecommendations.SCORED_AT));
    return top;
  }

  /**
   * Per user row (user_id, seen items): the user's top candidates. Static, so it captures nothing
   * but its arguments.
   */
  private static MapPartitionsFunction<Row, Row> candidates(String alsPath, int candidates) {
    return rows -> {
      AlsScorer scorer = AlsScorer.load(ModelBundle.open(Path.of(alsPath)));
      List<Row> out = new ArrayList<>();
      while (rows.hasNext()) {
        Row row = rows.next();
        long user = row.getLong(0);
        Set<Long> excluded = new HashSet<>();
        if (!row.isNullAt(1)) {
          for (Object item : row.getList(1)) {
            excluded.add(((Number) item).longValue());
          }
        }
        Recommendations top = scorer.recommend(user, candidates, excluded::contains);
        for (Recommendation item : top.items()) {
          out.add(
              RowFactory.create(
                  user, item.itemId(), top.fallback() ? null : item.score(), top.fallback()));
        }
      }
      return out.iterator();
    };
  }

  /** Per candidate row (user_id, item_id, fallback, inputs...): the ranker's probability. */
  private static MapPartitionsFunction<Row, Row> ranking(String rankerPath, List<String> names) {
    return rows -> {
      RankerScorer scorer = RankerScorer.load(ModelBundle.open(Path.of(rankerPath)));
      int alsIndex = names.indexOf(RankerTrainer.ALS_SCORE);
      return new Iterator<Row>() {
        @Override
        public boolean hasNext() {
          return rows.hasNext();
        }

        @Override
        public Row next() {
          Row row = rows.next();
          Object[] values = new Object[names.size()];
          for (int i = 0; i < values.length; i++) {
            values[i] = row.get(i + 3);
          }
          Object als = alsIndex < 0 ? null : row.get(3 + alsIndex);
          return RowFactory.create(
              row.getLong(0), row.getLong(1), scorer.score(values), als, row.getBoolean(2));
        }
      };
    };
  }
}
