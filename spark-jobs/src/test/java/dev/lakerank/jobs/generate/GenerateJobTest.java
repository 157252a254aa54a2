package dev.lakerank.jobs.generate;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.when;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lakerank.jobs.LakerankException;
import dev.lakerank.jobs.Reporter;
import dev.lakerank.jobs.testing.SharedSpark;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GenerateJobTest {
  static final GenerateSettings SMALL =
      new GenerateSettings(
          300, 120, 20_000, 10, LocalDate.of(2026, 3, 1), 7, 6, 4, 1.05, 0.8, 0.3, 0.02, 0.01, -1);

  static SparkSession spark;
  @TempDir static Path output;
  static GenerateSummary summary;

  @BeforeAll
  static void generate() {
    spark = SharedSpark.session();
    summary =
        new GenerateJob(spark, Reporter.SILENT).run(SMALL, output.resolve("a").toString(), false);
  }

  @Test
  void writesTheLayoutAnUpstreamSystemWould() throws IOException {
    Path root = output.resolve("a");
    assertThat(root.resolve(GeneratedFiles.MANIFEST)).exists();
    try (Stream<Path> files = Files.walk(root.resolve(GeneratedFiles.EVENTS))) {
      List<String> names =
          files.filter(Files::isRegularFile).map(p -> root.relativize(p).toString()).toList();
      assertThat(names)
          .isNotEmpty()
          .allMatch(n -> n.matches("events/date=2026-03-\\d\\d/part-\\d{5}\\.jsonl"));
    }
    try (Stream<Path> files = Files.list(root.resolve(GeneratedFiles.USERS))) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .allMatch(n -> n.matches("part-\\d{5}\\.csv"));
    }
    String header = Files.readAllLines(firstFile(root.resolve(GeneratedFiles.ITEMS))).get(0);
    assertThat(header).isEqualTo("item_id,category,price,created_time");
  }

  @Test
  void countsWhatItWrote() {
    Dataset<Row> lines =
        spark.read().text(output.resolve("a").resolve(GeneratedFiles.EVENTS).toString());
    assertThat(lines.count()).isEqualTo(summary.eventLines());
    assertThat(summary.impressions()).isEqualTo(SMALL.events());
    assertThat(summary.eventLines())
        .isEqualTo(
            summary.impressions()
                + summary.clicks()
                + summary.purchases()
                + summary.ratings()
                + summary.duplicatedLines());
    // 2% of lines corrupted, 1% duplicated: binomial counts within five standard deviations
    assertWithinSigmas(summary.corruptedLines(), summary.eventLines(), SMALL.dirtyFraction(), 5);
    assertWithinSigmas(
        summary.duplicatedLines(), summary.eventLines(), SMALL.duplicateFraction(), 5);
  }

  @Test
  void clickLabelsFollowTheTrueProbabilities() {
    Row stats =
        truth()
            .agg(
                avg(col(GeneratedFiles.P_CLICK)),
                avg(when(col(GeneratedFiles.CLICKED), 1.0).otherwise(0.0)))
            .head();
    double meanProbability = stats.getDouble(0);
    double clickRate = stats.getDouble(1);
    double sigma = Math.sqrt(meanProbability * (1 - meanProbability) / SMALL.events());
    assertThat(meanProbability).isBetween(0.03, 0.2);
    assertThat(Math.abs(clickRate - meanProbability)).isLessThan(5 * sigma);
    // clicked impressions had, on average, a clearly higher true affinity than the others
    List<Row> byLabel =
        truth()
            .groupBy(GeneratedFiles.CLICKED)
            .agg(avg(GeneratedFiles.AFFINITY))
            .orderBy(GeneratedFiles.CLICKED)
            .collectAsList();
    assertThat(byLabel.get(1).getDouble(1)).isGreaterThan(byLabel.get(0).getDouble(1) + 0.3);
  }

  @Test
  void itemPopularityIsSkewed() {
    List<Row> perItem =
        truth()
            .groupBy(GeneratedFiles.ITEM_ID)
            .agg(count("*").alias("n"))
            .orderBy(col("n").desc())
            .collectAsList();
    long top = perItem.stream().limit(SMALL.items() / 10).mapToLong(r -> r.getLong(1)).sum();
    assertThat((double) top / SMALL.events()).isGreaterThan(0.35);
  }

  @Test
  void noImpressionPrecedesItsItem() {
    Dataset<Row> items =
        spark
            .read()
            .option("header", "true")
            .csv(output.resolve("a").resolve(GeneratedFiles.ITEMS).toString())
            .where("category IS NOT NULL AND price NOT LIKE '-%'")
            .selectExpr(
                "CAST(item_id AS BIGINT) AS item_id",
                "CAST(created_time AS TIMESTAMP) AS created_time");
    long early =
        truth()
            .join(items, GeneratedFiles.ITEM_ID)
            .where(col(GeneratedFiles.EVENT_TIME).lt(col("created_time")))
            .count();
    assertThat(early).isZero();
  }

  @Test
  void theSameSeedGivesTheSameFiles() throws IOException {
    new GenerateJob(spark, Reporter.SILENT).run(SMALL, output.resolve("b").toString(), false);
    Map<String, String> first = contents(output.resolve("a"));
    Map<String, String> second = contents(output.resolve("b"));
    assertThat(second.keySet()).isEqualTo(first.keySet());
    for (String file : first.keySet()) {
      assertThat(second.get(file)).as(file).isEqualTo(first.get(file));
    }
  }

  @Test
  void refusesToOverwriteWithoutBeingAsked() {
    assertThatThrownBy(
            () ->
                new GenerateJob(spark, Reporter.SILENT)
                    .run(SMALL, output.resolve("a").toString(), false))
        .isInstanceOf(LakerankException.class)
        .hasMessageContaining("--overwrite");
  }

  @Test
  void driftChangesWhatUsersClick() {
    SyntheticWorld world = new SyntheticWorld(SMALL);
    double[] user = world.userFactors(5);
    double[] item = world.itemFactors(9);
    assertThat(SyntheticWorld.affinity(user, item, true))
        .isNotEqualTo(SyntheticWorld.affinity(user, item, false));
  }

  @Test
  void itemRankInvertsTheShuffleOfIds() {
    SyntheticWorld world = new SyntheticWorld(SMALL);
    for (long rank = 1; rank <= SMALL.items(); rank++) {
      assertThat(world.itemRank(world.itemAtRank(rank))).isEqualTo(rank);
    }
  }

  @Test
  void zipfRanksStayInRangeAndFavourTheTop() {
    assertThat(SyntheticWorld.zipfRank(0.0, 1000, 1.05)).isEqualTo(1);
    assertThat(SyntheticWorld.zipfRank(0.999999, 1000, 1.05)).isEqualTo(1000);
    assertThat(SyntheticWorld.zipfRank(0.5, 1000, 0.0)).isEqualTo(501);
    assertThat(SyntheticWorld.zipfRank(0.5, 1000, 1.0)).isLessThan(40);
  }

  private Dataset<Row> truth() {
    return spark
        .read()
        .parquet(output.resolve("a").resolve(GeneratedFiles.TRUTH_IMPRESSIONS).toString());
  }

  private static void assertWithinSigmas(long observed, long trials, double p, double sigmas) {
    double mean = trials * p;
    double sd = Math.sqrt(trials * p * (1 - p));
    assertThat((double) observed).isBetween(mean - sigmas * sd, mean + sigmas * sd);
  }

  private static Path firstFile(Path directory) throws IOException {
    try (Stream<Path> files = Files.list(directory)) {
      return files.sorted().findFirst().orElseThrow();
    }
  }

  private static Map<String, String> contents(Path root) throws IOException {
    Map<String, String> contents = new TreeMap<>();
    for (String part : List.of(GeneratedFiles.EVENTS, GeneratedFiles.USERS, GeneratedFiles.ITEMS)) {
      try (Stream<Path> files = Files.walk(root.resolve(part))) {
        for (Path file : files.filter(Files::isRegularFile).toList()) {
          contents.put(root.relativize(file).toString(), Files.readString(file));
        }
      }
    }
    return contents;
  }
}
