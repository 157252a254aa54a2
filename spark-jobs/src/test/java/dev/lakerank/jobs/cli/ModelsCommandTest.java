package dev.lakerank.jobs.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lakerank.jobs.catalog.Lakehouse;
import dev.lakerank.jobs.tables.EventType;
import dev.lakerank.jobs.tables.SilverInteractions;
import dev.lakerank.jobs.tables.TrainingRuns;
import dev.lakerank.jobs.testing.CliRun;
import dev.lakerank.jobs.testing.SharedSpark;
import dev.lakerank.model.registry.LocalModelRegistry;
import dev.lakerank.model.registry.ModelRegistry;
import dev.lakerank.model.registry.mlflow.testing.MlflowTestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code train}, {@code models} and {@code report} run in-process on a small lakehouse: two
 * recommenders are trained through the CLI, then listed, shown, promoted and rolled back.
 */
class ModelsCommandTest {
  static final SparkSession spark = SharedSpark.session();
  static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
  static final String[] FAST = {
    "--ranks", "3", "--reg-params", "0.1", "--alphas", "5", "--max-iter", "5", "--k", "10"
  };

  @TempDir static Path directory;
  static String lakehouse;

  @BeforeAll
  static void interactions() {
    lakehouse = directory.resolve("lakehouse").toString();
    Lakehouse tables = new Lakehouse(spark, lakehouse);
    tables.createIfNotExists(SilverInteractions.DEFINITION);
    SplittableRandom random = new SplittableRandom(5);
    List<Row> rows = new ArrayList<>();
    for (long user = 1; user <= 40; user++) {
      for (long item = 1; item <= 30; item++) {
        if (random.nextDouble() < (user % 2 == item % 2 ? 0.4 : 0.05)) {
          Instant at = START.plusSeconds(random.nextLong(Duration.ofDays(10).toSeconds()));
          rows.add(
              RowFactory.create(
                  "c-" + user + "-" + item,
                  null,
                  user,
                  item,
                  EventType.CLICK.value(),
                  Timestamp.from(at),
                  Date.valueOf(at.atZone(ZoneOffset.UTC).toLocalDate()),
                  "mobile",
                  null,
                  null,
                  null,
                  null,
                  "b",
                  Timestamp.from(at)));
        }
      }
    }
    spark
        .createDataFrame(rows, SilverInteractions.SCHEMA)
        .write()
        .format("delta")
        .mode("append")
        .save(tables.location(SilverInteractions.NAME));
  }

  private static CliRun lakerank(Path registry, String... args) {
    List<String> all =
        new ArrayList<>(
            List.of(
                "--lakehouse",
                lakehouse,
                "--registry",
                registry.toString(),
                "--progress",
                "never"));
    all.addAll(List.of(args));
    return CliRun.run(Map.of(), all.toArray(String[]::new));
  }

  private static String[] train(String... extra) {
    return Stream.concat(
            Stream.concat(Stream.of("train", "recommender"), Stream.of(FAST)), Stream.of(extra))
        .toArray(String[]::new);
  }

  @Test
  void listingAnEmptyRegistrySaysItIsEmptyAndHowToFillIt() {
    CliRun run = lakerank(directory.resolve("empty-registry"), "models", "list");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).contains("is empty").contains("lakerank train");
  }

  @Test
  void trainedModelsCanBeListedShownPromotedRolledBackAndReported() throws Exception {
    Path registryRoot = directory.resolve("registry");
    LocalModelRegistry registry = new LocalModelRegistry(registryRoot, Clock.systemUTC());

    CliRun first = lakerank(registryRoot, train());
    assertThat(first.exitCode()).as(first.err()).isZero();
    assertThat(first.out())
        .contains("recommender v1 (als) registered: champion (the first)")
        .contains("ndcg_at_10");
    CliRun second = lakerank(registryRoot, train("--promote", "never"));
    assertThat(second.exitCode()).as(second.err()).isZero();
    assertThat(second.out())
        .contains("recommender v2 (als) registered: challenger (--promote never)");
    assertThat(registry.aliases("recommender"))
        .containsEntry(ModelRegistry.CHAMPION, 1)
        .containsEntry(ModelRegistry.CHALLENGER, 2);
    assertThat(new Lakehouse(spark, lakehouse).read(TrainingRuns.NAME).count()).isEqualTo(2);

    CliRun list = lakerank(registryRoot, "models", "list");
    assertThat(list.exitCode()).isZero();
    assertThat(list.out())
        .containsPattern("recommender\\s+1\\s+als\\s+champion\\s")
        .containsPattern("recommender\\s+2\\s+als\\s+challenger\\s")
        .contains("ndcg_at_10=");

    CliRun show = lakerank(registryRoot, "models", "show", "recommender");
    assertThat(show.exitCode()).isZero();
    assertThat(show.out())
        .startsWith("recommender v1  als  aliases: champion")
        .contains("metrics:")
        .contains("ndcg_at_10")
        .contains("params:")
        .contains("rank")
        .contains("training tables:")
        .contains("silver.interactions")
        .contains("history:")
        .contains("registered v1")
        .contains("registered v2")
        .contains("champion -> v1")
        .contains("challenger -> v2");
    assertThat(lakerank(registryRoot, "models", "show", "recommender", "challenger").out())
        .startsWith("recommender v2 ");

    CliRun promote =
        lakerank(
            registryRoot, "models", "promote", "recommender", "2", "--reason", "better offline");
    assertThat(promote.exitCode()).isZero();
    assertThat(promote.out()).contains("recommender champion: v1 -> v2");
    assertThat(registry.aliases("recommender")).containsEntry(ModelRegistry.CHAMPION, 2);
    assertThat(
            registry
                .history("recommender")
                .get(registry.history("recommender").size() - 1)
                .reason())
        .isEqualTo("better offline");

    CliRun rollback = lakerank(registryRoot, "models", "rollback", "recommender");
    assertThat(rollback.exitCode()).as(rollback.err()).isZero();
    assertThat(rollback.out()).contains("recommender champion: v2 -> v1");
    assertThat(registry.aliases("recommender")).containsEntry(ModelRegistry.CHAMPION, 1);

    Path reports = directory.resolve("reports");
    CliRun report = lakerank(registryRoot, "report", "--output", reports.toString());
    assertThat(report.exitCode()).as(report.err()).isZero();
    assertThat(report.out()).contains("index.html");
    assertThat(reports.resolve("index.html")).exists();
    assertThat(Files.readString(reports.resolve("index.html"))).contains("recommender");
    CliRun champion =
        lakerank(
            registryRoot,
            "report",
            "--model",
            "recommender",
            "--version",
            "champion",
            "-o",
            directory.resolve("champion-report").toString());
    assertThat(champion.exitCode()).as(champion.err()).isZero();
    assertThat(Path.of(champion.out().strip())).exists();
  }

  /**
   * The same commands against MLflow (the in-test server): `train` logs a run and creates a model
   * version, `models` lists, shows, promotes and rolls back through MLflow's aliases, the
   * configuration comes from MLflow's own environment variables and the token is not printed.
   */
  @Test
  void theSameCommandsWorkAgainstMlflow() {
    try (MlflowTestServer mlflow = MlflowTestServer.start()) {
      mlflow.requireToken("t0ken");
      Map<String, String> environment =
          Map.of(
              "MLFLOW_TRACKING_URI",
              mlflow.uri().toString(),
              "MLFLOW_TRACKING_TOKEN",
              "t0ken",
              "LAKERANK_REGISTRY_TYPE",
              "mlflow",
              "LAKERANK_REGISTRY_MLFLOW_CACHE",
              directory.resolve("mlflow-cache").toString());
      java.util.function.Function<String[], CliRun> lakerank =
          args -> {
            List<String> all =
                new ArrayList<>(
                    List.of(
                        "--lakehouse",
                        directory.resolve("mlflow-lakehouse").toString(),
                        "--progress",
                        "never"));
            all.addAll(List.of(args));
            return CliRun.run(environment, all.toArray(String[]::new));
          };
      CliRun empty = lakerank.apply(new String[] {"models", "list"});
      assertThat(empty.out())
          .isEqualTo(
              "the MLflow at " + mlflow.uri() + " is empty: train a model with `lakerank train`\n");

      List<String> trainFirst =
          new ArrayList<>(List.of("--lakehouse", lakehouse, "--progress", "never"));
      trainFirst.addAll(List.of(train()));
      CliRun first = CliRun.run(environment, trainFirst.toArray(String[]::new));
      assertThat(first.exitCode()).as(first.err()).isZero();
      assertThat(first.out())
          .contains("recommender v1 (als) registered: champion (the first)")
          .contains("bundle: mlflow-artifacts:/1/");
      trainFirst.addAll(List.of("--promote", "never"));
      CliRun second = CliRun.run(environment, trainFirst.toArray(String[]::new));
      assertThat(second.exitCode()).as(second.err()).isZero();
      assertThat(mlflow.registeredModels())
          .singleElement()
          .satisfies(
              model ->
                  assertThat(model.aliases())
                      .containsEntry("champion", 1)
                      .containsEntry("challenger", 2));
      assertThat(mlflow.runs("lakerank-recommender"))
          .hasSize(2)
          .allSatisfy(
              run -> {
                assertThat(run.status()).isEqualTo("FINISHED");
                assertThat(run.params()).containsKey("rank");
                assertThat(run.metrics())
                    .anySatisfy(
                        point -> {
                          assertThat(point.key()).isEqualTo("ndcg_at_k");
                          assertThat(point.step()).isEqualTo(10);
                        });
                assertThat(run.tags()).containsKey("lakerank.training_table.silver.interactions");
              });
      assertThat(
              new Lakehouse(spark, lakehouse)
                  .read(TrainingRuns.NAME)
                  .where("bundle LIKE 'mlflow-artifacts:/%'")
                  .count())
          .isEqualTo(2);

      CliRun list = lakerank.apply(new String[] {"models", "list"});
      assertThat(list.out())
          .containsPattern("recommender\\s+1\\s+als\\s+champion\\s")
          .containsPattern("recommender\\s+2\\s+als\\s+challenger\\s")
          .contains("ndcg_at_10=");
      CliRun show = lakerank.apply(new String[] {"models", "show", "recommender", "challenger"});
      assertThat(show.out())
          .startsWith("recommender v2  als  aliases: challenger")
          .contains("bundle: " + mlflow.versions("recommender").get(1).source())
          .contains("registered v1")
          .contains("registered v2")
          .contains("champion -> v1")
          .contains("challenger -> v2");
      assertThat(lakerank.apply(new String[] {"models", "promote", "recommender", "2"}).out())
          .contains("recommender champion: v1 -> v2");
      assertThat(mlflow.registeredModels().get(0).aliases()).containsEntry("champion", 2);
      assertThat(lakerank.apply(new String[] {"models", "rollback", "recommender"}).out())
          .contains("recommender champion: v2 -> v1");
      assertThat(mlflow.registeredModels().get(0).aliases()).containsEntry("champion", 1);

      CliRun unknown = lakerank.apply(new String[] {"models", "show", "nosuch", "1"});
      assertThat(unknown.exitCode()).isEqualTo(LakerankCommand.USER_ERROR);
      assertThat(unknown.err())
          .startsWith(
              "error: no model `nosuch` in MLflow at "
                  + mlflow.uri()
                  + "; Lakerank models there: [recommender]");

      CliRun config = lakerank.apply(new String[] {"config", "--format", "csv"});
      assertThat(config.out())
          .contains("registry.mlflow.token,(hidden),$MLFLOW_TRACKING_TOKEN")
          .contains("registry.mlflow.tracking-uri," + mlflow.uri() + ",$MLFLOW_TRACKING_URI")
          .doesNotContain("t0ken");
    }
  }

  @Test
  void anMlflowRegistryWithoutAServerOrWithBadCredentialsIsAUserErrorThatSaysWhatToSet() {
    CliRun noServer = CliRun.run(Map.of(), "models", "list", "--set", "registry.type=mlflow");
    assertThat(noServer.exitCode()).isEqualTo(LakerankCommand.USER_ERROR);
    assertThat(noServer.err())
        .isEqualTo(
            "error: the MLflow registry needs a tracking server: set `registry.mlflow.tracking-uri` "
                + "(or MLFLOW_TRACKING_URI) to its URL, such as http://127.0.0.1:5000\n");
    try (MlflowTestServer mlflow = MlflowTestServer.start()) {
      mlflow.requireBasic("trainer", "right");
      CliRun refused =
          CliRun.run(
              Map.of("MLFLOW_TRACKING_USERNAME", "trainer", "MLFLOW_TRACKING_PASSWORD", "wrong"),
              "models",
              "list",
              "--mlflow",
              mlflow.uri().toString());
      assertThat(refused.exitCode()).isEqualTo(LakerankCommand.USER_ERROR);
      assertThat(refused.err())
          .startsWith(
              "error: MLflow at " + mlflow.uri() + " answered 401 to GET registered-models/search")
          .contains("basic authentication as `trainer`")
          .doesNotContain("\tat ");
    }
  }

  @Test
  void anUnknownModelIsAUserErrorThatNamesIt() {
    Path registryRoot = directory.resolve("registry-unknown");
    for (String[] args :
        List.of(
            new String[] {"models", "show", "nosuch"},
            new String[] {"models", "show", "nosuch", "1"},
            new String[] {"models", "promote", "nosuch", "1"},
            new String[] {"models", "rollback", "nosuch"})) {
      CliRun run = lakerank(registryRoot, args);
      assertThat(run.exitCode()).as(String.join(" ", args)).isEqualTo(LakerankCommand.USER_ERROR);
      assertThat(run.err())
          .as(String.join(" ", args))
          .startsWith("error: ")
          .contains("`nosuch`")
          .doesNotContain("\tat ");
    }
  }

  @Test
  void reportOnAnEmptyRegistryIsAUserError() {
    CliRun run =
        lakerank(
            directory.resolve("empty-for-report"),
            "report",
            "--output",
            directory.resolve("no-reports").toString());

    assertThat(run.exitCode()).isEqualTo(LakerankCommand.USER_ERROR);
    assertThat(run.err()).contains("is empty").contains("lakerank train");
  }

  @Test
  void anUnknownRankerAlgorithmIsAUserError() {
    CliRun run =
        lakerank(
            directory.resolve("registry-algorithm"), "train", "ranker", "--algorithm", "xgboost");

    assertThat(run.exitCode()).isEqualTo(LakerankCommand.USER_ERROR);
    assertThat(run.err()).contains("`xgboost`").contains("lr, gbt or fm").doesNotContain("\tat ");
  }

  @Test
  void trainWithoutAModelSaysWhatToName() {
    CliRun run = lakerank(directory.resolve("registry-train"), "train");

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).contains("lakerank train recommender").contains("lakerank train ranker");
  }

  @Test
  void trainingCommandsExplainThemselves() {
    for (String[] args :
        List.of(
            new String[] {"train", "--help"},
            new String[] {"train", "recommender", "--help"},
            new String[] {"train", "ranker", "--help"},
            new String[] {"models", "--help"},
            new String[] {"models", "promote", "--help"},
            new String[] {"report", "--help"},
            new String[] {"batch-score", "--help"})) {
      CliRun run = CliRun.run(Map.of(), args);
      assertThat(run.exitCode()).as(String.join(" ", args) + ": " + run.err()).isZero();
      assertThat(run.out())
          .as(String.join(" ", args))
          .startsWith("Usage: lakerank " + args[0])
          .contains("--help");
    }
    assertThat(CliRun.run(Map.of(), "train", "recommender", "--help").out())
        .contains("--mode")
        .contains("--split")
        .contains("--promote");
    assertThat(CliRun.run(Map.of(), "train", "ranker", "--help").out())
        .contains("--algorithm")
        .contains("--no-tune")
        .contains("--truth");
  }
}
