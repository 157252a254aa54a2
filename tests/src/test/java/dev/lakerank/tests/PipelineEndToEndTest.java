package dev.lakerank.tests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lakerank.featurestore.definition.FeatureReference;
import dev.lakerank.featurestore.definition.FeatureRepository;
import dev.lakerank.featurestore.definition.RepoConfig;
import dev.lakerank.featurestore.format.FeatureValues;
import dev.lakerank.featurestore.online.OnlineStore;
import dev.lakerank.featurestore.online.SqliteOnlineStore;
import dev.lakerank.featurestore.registry.FeastRegistry;
import dev.lakerank.featurestore.retrieval.OnlineFeatureService;
import dev.lakerank.featurestore.retrieval.OnlineFeatures;
import dev.lakerank.jobs.catalog.Lakehouse;
import dev.lakerank.jobs.catalog.TableName;
import dev.lakerank.jobs.features.HistoricalFeatures;
import dev.lakerank.jobs.generate.GenerateJob;
import dev.lakerank.jobs.tables.BronzeTable;
import dev.lakerank.jobs.tables.QuarantineTable;
import dev.lakerank.jobs.tables.RankerTrainingSet;
import dev.lakerank.jobs.tables.SilverInteractions;
import dev.lakerank.jobs.tables.SilverItems;
import dev.lakerank.jobs.tables.SilverUsers;
import dev.lakerank.jobs.tables.TransformRuns;
import dev.lakerank.jobs.testing.CliRun;
import dev.lakerank.jobs.testing.SharedSpark;
import dev.lakerank.model.bundle.Evaluation;
import dev.lakerank.model.bundle.ModelBundle;
import dev.lakerank.model.registry.LocalModelRegistry;
import dev.lakerank.model.registry.ModelRegistry;
import dev.lakerank.model.registry.ModelVersion;
import feast.proto.serving.ServingAPIProto.FieldStatus;
import feast.proto.types.ValueProto.Value;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * `lakerank pipeline run` at a tiny scale, through the CLI, checked against what the generator says
 * it wrote.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PipelineEndToEndTest {
  @TempDir static Path directory;
  static SparkSession spark;
  static Lakehouse lakehouse;
  static String[] common;
  static CliRun first;
  static LocalModelRegistry registry;

  @BeforeAll
  static void runThePipeline() {
    spark = SharedSpark.session();
    String lakehouseRoot = directory.resolve("lakehouse").toString();
    common =
        new String[] {
          "--lakehouse",
          lakehouseRoot,
          "--raw",
          directory.resolve("raw").toString(),
          "--feature-repo",
          Path.of("..", "feature-repo").toString(),
          "--registry",
          directory.resolve("registry").toString(),
          "--set",
          "reports.root=" + directory.resolve("reports"),
          "--set",
          "features.data-root=" + directory.resolve("features"),
          "--progress",
          "never"
        };
    first =
        pipeline(
            "--events",
            "6000",
            "--users",
            "150",
            "--items",
            "80",
            "--days",
            "12",
            "--dirty-fraction",
            "0.02",
            "--duplicate-fraction",
            "0.01",
            "--training",
            "quick");
    registry = new LocalModelRegistry(directory.resolve("registry"), Clock.systemUTC());
    lakehouse = new Lakehouse(spark, lakehouseRoot);
  }

  @Test
  @Order(1)
  void buildsEveryTable() {
    assertThat(first.exitCode()).as(first.err()).isZero();
    assertThat(first.out())
        .contains(
            "generate",
            "ingest",
            "transform",
            "features",
            "training-set",
            "feature-apply",
            "materialize");
    assertThat(lakehouse.tables())
        .extracting(TableName::toString)
        .contains(
            "bronze.events",
            "bronze.users",
            "bronze.items",
            "silver.interactions",
            "silver.users",
            "silver.items",
            "quarantine.events",
            "quarantine.users",
            "quarantine.items",
            "gold.user_activity_features",
            "gold.item_popularity_features",
            "gold.item_profile_features",
            "gold.ranker_training_set",
            "ops.transform_runs",
            "ops.pipeline_steps");
  }

  @Test
  @Order(2)
  void quarantinesExactlyTheLinesTheGeneratorCorrupted() {
    Map<String, Object> manifest =
        GenerateJob.readManifest(spark, directory.resolve("raw").toString());
    Map<?, ?> written = (Map<?, ?>) manifest.get("summary");
    long lines = ((Number) written.get("eventLines")).longValue();
    long corrupted = ((Number) written.get("corruptedLines")).longValue();
    long cleanCopies = ((Number) written.get("cleanDuplicatedLines")).longValue();

    Row run = lakehouse.read(TransformRuns.NAME).where("source_table = 'bronze.events'").head();
    long bronze = run.getAs(TransformRuns.BRONZE_ROWS);
    long inserted = run.getAs(TransformRuns.SILVER_INSERTED);
    long quarantined = run.getAs(TransformRuns.QUARANTINED);
    long duplicates = run.getAs(TransformRuns.DUPLICATES);

    assertThat(corrupted).isPositive();
    assertThat(bronze)
        .isEqualTo(lines)
        .isEqualTo(lakehouse.read(BronzeTable.EVENTS.tableName()).count());
    assertThat(quarantined)
        .isEqualTo(corrupted)
        .isEqualTo(lakehouse.read(QuarantineTable.name(BronzeTable.EVENTS)).count());
    assertThat(inserted).isEqualTo(lakehouse.read(SilverInteractions.NAME).count());
    assertThat(bronze).isEqualTo(inserted + quarantined + duplicates);
    // each count checked against the generator's truth, so the sum above cannot hold by
    // construction
    assertThat(duplicates).isPositive().isEqualTo(cleanCopies);
    assertThat(
            lakehouse
                .read(SilverInteractions.NAME)
                .select(SilverInteractions.EVENT_ID)
                .distinct()
                .count())
        .isEqualTo(inserted);
  }

  @Test
  @Order(3)
  void trainsOnEveryImpressionWithFeaturesFromBeforeIt() {
    long impressions =
        lakehouse.read(SilverInteractions.NAME).where("event_type = 'impression'").count();
    assertThat(lakehouse.read(RankerTrainingSet.NAME).count()).isEqualTo(impressions);
    lakehouse.registerAll();
    // an independent check of the point-in-time join: each row's user_activity value is that of
    // the user's latest snapshot at or before the impression (35-day ttl never binds in 12 days)
    long mismatches =
        spark
            .sql(
                """
            WITH latest AS (
              SELECT t.impression_id, t.user_activity__clicks_7d AS joined,
                     max_by(f.clicks_7d, f.event_timestamp) AS expected,
                     max(f.event_timestamp) AS snapshot, t.event_timestamp
              FROM gold.ranker_training_set t
              LEFT JOIN gold.user_activity_features f
                ON f.user_id = t.user_id AND f.event_timestamp <= t.event_timestamp
              GROUP BY t.impression_id, t.user_activity__clicks_7d, t.event_timestamp)
            SELECT count(*) FROM latest
            WHERE NOT (joined <=> expected) OR snapshot > event_timestamp
            """)
            .head()
            .getLong(0);
    assertThat(mismatches).isZero();
    long withHistory =
        lakehouse
            .read(RankerTrainingSet.NAME)
            .where("user_activity__clicks_7d IS NOT NULL")
            .count();
    assertThat(withHistory).isGreaterThan(impressions / 2);
  }

  @Test
  @Order(4)
  void analystsQueryTablesWithTimeTravel() {
    CliRun now = cli("sql", "SELECT count(*) AS n FROM silver.interactions", "--format", "csv");
    CliRun before =
        cli(
            "sql",
            "SELECT count(*) AS n FROM silver.interactions VERSION AS OF 0",
            "--format",
            "csv");
    CliRun history = cli("sql", "DESCRIBE HISTORY bronze.events", "--format", "csv");
    assertThat(now.exitCode()).as(now.err()).isZero();
    assertThat(now.out()).isEqualTo("n\n" + lakehouse.read(SilverInteractions.NAME).count() + "\n");
    assertThat(before.out()).isEqualTo("n\n0\n");
    assertThat(history.out()).contains("WRITE").contains("CREATE TABLE");
    CliRun tables = cli("tables");
    assertThat(tables.out()).contains("silver.interactions").contains("gold.ranker_training_set");
  }

  @Test
  @Order(4)
  void theAnalystTourRunsEveryStatement() {
    Path tour = Path.of("..", "notebooks", "lakehouse-tour.sql");
    CliRun run = cli("sql", "--file", tour.toString(), "--format", "csv");
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out().lines().filter(l -> l.startsWith("-- " + tour))).hasSize(7);
    assertThat(run.out())
        .contains("rule,rows,example")
        .contains("device,hour_of_day,impressions,ctr");
    // section 3: every transform run reconciles
    assertThat(run.out().lines().filter(l -> l.startsWith("bronze.")).toList())
        .hasSize(3)
        .allSatisfy(line -> assertThat(line).endsWith(",true"));
    assertThat(run.out()).contains("rows_at_version_0\n0\n");
  }

  @Test
  @Order(5)
  void aSecondRunSkipsEveryStepWhoseInputsDidNotChange() {
    CliRun again =
        pipeline(
            "--events",
            "6000",
            "--users",
            "150",
            "--items",
            "80",
            "--days",
            "12",
            "--dirty-fraction",
            "0.02",
            "--duplicate-fraction",
            "0.01",
            "--training",
            "quick");
    assertThat(again.exitCode()).as(again.err()).isZero();
    assertThat(again.out().lines().filter(l -> l.contains("skipped"))).hasSize(9);
    assertThat(registry.versions("ranker")).hasSize(1);
    assertThat(lakehouse.read(TransformRuns.NAME).count()).isEqualTo(3);
  }

  @Test
  @Order(4)
  void trainsRegistersAndReportsBothModelsThenBatchScores() {
    assertThat(first.out()).contains("train-recommender", "train-ranker", "report: ");
    for (String model : List.of("recommender", "ranker")) {
      ModelVersion champion = registry.alias(model, ModelRegistry.CHAMPION).orElseThrow();
      ModelBundle bundle = registry.open(champion);
      assertThat(bundle.manifest().files()).containsKey(Evaluation.FILE);
      assertThat(bundle.manifest().trainingTables()).containsKey("silver.interactions");
      assertThat(directory.resolve("reports").resolve(model + "-v1.html")).exists();
    }
    ModelVersion ranker = registry.alias("ranker", ModelRegistry.CHAMPION).orElseThrow();
    assertThat(ranker.manifest().metrics()).containsKeys("auc", "oracle_auc", "log_loss", "pr_auc");
    assertThat(ranker.manifest().metrics().get("auc")).isBetween(0.5, 1.0);
    assertThat(ranker.manifest().features())
        .contains("user_activity:ctr_7d", "item_profile:category", "als_score");
    assertThat(ranker.manifest().trainingTables())
        .containsKeys("gold.ranker_training_set", "gold.user_activity_features");
    ModelVersion recommender = registry.alias("recommender", ModelRegistry.CHAMPION).orElseThrow();
    assertThat(recommender.manifest().metrics())
        .containsKeys("ndcg_at_10", "precision_at_10", "popularity_ndcg_at_10");
    assertThat(lakehouse.read(new TableName("ml", "training_runs")).count()).isEqualTo(2);

    CliRun list = cli("models", "list");
    assertThat(list.exitCode()).as(list.err()).isZero();
    assertThat(list.out()).contains("recommender", "ranker", "champion");

    CliRun batch = cli("batch-score", "--k", "5", "--candidates", "40");
    assertThat(batch.exitCode()).as(batch.err()).isZero();
    Dataset<Row> recommendations = lakehouse.read(new TableName("gold", "recommendations"));
    assertThat(recommendations.count()).isEqualTo(150L * 5);
    assertThat(recommendations.groupBy("user_id").count().where("count <> 5").count()).isZero();
    assertThat(recommendations.where("rank < 1 OR rank > 5 OR score < 0 OR score > 1").count())
        .isZero();
    assertThat(recommendations.select("recommender", "ranker").distinct().collectAsList())
        .extracting(Row::toString)
        .containsExactly("[recommender v1,ranker v1]");
    // no user is recommended an item they clicked, bought or rated
    Dataset<Row> seen =
        lakehouse
            .read(SilverInteractions.NAME)
            .where("event_type IN ('click', 'purchase', 'rating')");
    assertThat(
            recommendations
                .join(
                    seen,
                    scala.jdk.javaapi.CollectionConverters.asScala(List.of("user_id", "item_id"))
                        .toSeq())
                .count())
        .isZero();
  }

  @Test
  @Order(6)
  void maintainCompactsAndKeepsEveryRow() {
    long rows = lakehouse.read(SilverInteractions.NAME).count();
    CliRun maintain = cli("maintain", "--zorder", "always", "--no-vacuum");
    assertThat(maintain.exitCode()).as(maintain.err()).isZero();
    assertThat(maintain.out()).contains("silver.interactions").contains("Z-ordered by user_id");
    assertThat(lakehouse.read(SilverInteractions.NAME).count()).isEqualTo(rows);
  }

  @Test
  @Order(6)
  void theOnlineStoreHoldsWhatThePointInTimeJoinReadsAtTheMaterializedTime() {
    Path registryFile = directory.resolve("features/data/registry.db");
    FeastRegistry registry = FeastRegistry.read(registryFile);
    Instant end = registry.materializedUntil("user_activity").orElseThrow();
    assertThat(registry.materializedUntil("item_profile")).contains(end);
    FeatureRepository repository = FeatureRepository.load(Path.of("..", "feature-repo"));
    List<FeatureReference> references = repository.featureService("ranker").references();

    // every user and item of the lakehouse, plus one unknown of each, as of the materialized end
    List<Long> users =
        lakehouse.read(SilverUsers.NAME).select("user_id").as(Encoders.LONG()).collectAsList();
    List<Long> items =
        lakehouse.read(SilverItems.NAME).select("item_id").as(Encoders.LONG()).collectAsList();
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i <= users.size(); i++) {
      long user = i < users.size() ? users.get(i) : 999_999L;
      long item = i < users.size() ? items.get(i % items.size()) : 888_888L;
      rows.add(RowFactory.create(user, item, Timestamp.from(end)));
    }
    StructType schema =
        new StructType()
            .add("user_id", DataTypes.LongType)
            .add("item_id", DataTypes.LongType)
            .add("event_timestamp", DataTypes.TimestampType);
    Map<String, Row> offline = new HashMap<>();
    for (Row row :
        new HistoricalFeatures(lakehouse, repository)
            .get(spark.createDataFrame(rows, schema), references, true)
            .collectAsList()) {
      offline.put(row.getAs("user_id") + "/" + row.getAs("item_id"), row);
    }
    Map<String, List<Value>> entities =
        Map.of(
            "user_id",
                rows.stream()
                    .map(r -> Value.newBuilder().setInt64Val(r.getLong(0)).build())
                    .toList(),
            "item_id",
                rows.stream()
                    .map(r -> Value.newBuilder().setInt64Val(r.getLong(1)).build())
                    .toList());
    RepoConfig config = repository.config();
    int present = 0;
    try (OnlineStore store =
        new SqliteOnlineStore(directory.resolve("features/data/online.db"), config.project(), 1)) {
      OnlineFeatures online =
          new OnlineFeatureService(registry, store, Clock.fixed(end, ZoneOffset.UTC))
              .get(references, entities, true);
      for (int r = 0; r < rows.size(); r++) {
        Row expected = offline.get(rows.get(r).getLong(0) + "/" + rows.get(r).getLong(1));
        for (int f = 0; f < references.size(); f++) {
          Object value = expected.getAs(references.get(f).fullName());
          String where = references.get(f) + " of row " + rows.get(r);
          if (value == null) {
            assertThat(online.status(f, r)).as(where).isNotEqualTo(FieldStatus.PRESENT);
          } else {
            assertThat(online.status(f, r)).as(where).isEqualTo(FieldStatus.PRESENT);
            assertThat(FeatureValues.fromProto(online.value(f, r))).as(where).isEqualTo(value);
            present++;
          }
        }
      }
    }
    assertThat(present).isGreaterThan(users.size() * references.size() / 2);

    // materializing again finds nothing newer
    CliRun again = cli("features", "materialize", "--end", end.toString());
    assertThat(again.exitCode()).as(again.err()).isZero();
    assertThat(again.out().lines().filter(l -> l.contains(" written, ")).toList())
        .isNotEmpty()
        .allSatisfy(line -> assertThat(line).contains(": 0 written, "));
  }

  private static CliRun pipeline(String... args) {
    String[] all = new String[args.length + 2];
    all[0] = "pipeline";
    all[1] = "run";
    System.arraycopy(args, 0, all, 2, args.length);
    return cli(all);
  }

  private static CliRun cli(String... args) {
    String[] all = new String[common.length + args.length];
    System.arraycopy(common, 0, all, 0, common.length);
    System.arraycopy(args, 0, all, common.length, args.length);
    return CliRun.run(Map.of(), all);
  }
}
