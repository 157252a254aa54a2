package dev.lakerank.demo;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.rand;

import dev.lakerank.featurestore.FeatureStoreLocation;
import dev.lakerank.featurestore.online.OnlineStore;
import dev.lakerank.jobs.Reporter;
import dev.lakerank.jobs.catalog.Lakehouse;
import dev.lakerank.jobs.catalog.TableName;
import dev.lakerank.jobs.cli.CommandContext;
import dev.lakerank.jobs.cli.LakerankSubcommand;
import dev.lakerank.jobs.config.LakerankConfig;
import dev.lakerank.jobs.features.FeatureApply;
import dev.lakerank.jobs.features.MaterializeJob;
import dev.lakerank.jobs.generate.GenerateJob;
import dev.lakerank.jobs.generate.GenerateSettings;
import dev.lakerank.jobs.generate.GeneratedFiles;
import dev.lakerank.jobs.ingest.IngestJob;
import dev.lakerank.jobs.ingest.IngestRequest;
import dev.lakerank.jobs.tables.BronzeTable;
import dev.lakerank.jobs.tables.FeatureTableColumns;
import dev.lakerank.jobs.tables.SilverInteractions;
import dev.lakerank.jobs.transform.Reconciliation;
import dev.lakerank.jobs.transform.TransformJob;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.spark.sql.Column;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "benchmark",
    mixinStandardHelpOptions = true,
    description = "Timed runs at several sizes, for docs/benchmarks.md.",
    subcommands = {BenchmarkCommand.FilesToSilver.class, BenchmarkCommand.Materialize.class})
public final class BenchmarkCommand implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  @Command(
      name = "files-to-silver",
      mixinStandardHelpOptions = true,
      description = {
        "Time files -> bronze -> silver at several sizes.",
        "For each size: generate a data set (not timed; reused when it exists), then time ingest of",
        "its users, items and events into a fresh lakehouse and the transform to silver. Prints a",
        "Markdown table and the log-log slope of time against events (1.0 = linear)."
      })
  static final class FilesToSilver extends LakerankSubcommand {
    @Option(
        names = "--sizes",
        split = ",",
        paramLabel = "N,N,...",
        defaultValue = "1000000,5000000,20000000",
        description = "Impressions per run (default: ${DEFAULT-VALUE}).")
    List<Long> sizes;

    @Option(
        names = "--work-dir",
        paramLabel = "DIR",
        defaultValue = "./data/benchmark",
        description = "Where data sets and lakehouses go (default: ${DEFAULT-VALUE}).")
    Path workDirectory;

    @Option(
        names = "--warm-up",
        paramLabel = "N",
        defaultValue = "100000",
        description =
            "Impressions of an untimed first run that warms the JVM (0 for none; default: ${DEFAULT-VALUE}).")
    long warmUp;

    @Override
    protected int run(CommandContext context) {
      GenerateSettings base = context.config().generate();
      PrintStream out = context.out();
      List<double[]> points = new ArrayList<>();
      if (warmUp > 0) {
        measure(context, base, warmUp);
      }
      List<String> rows = new ArrayList<>();
      for (long size : sizes) {
        double[] result = measure(context, base, size);
        points.add(new double[] {result[0], result[3]});
        rows.add(
            String.format(
                "| %,d | %,d | %.1f | %.1f | %.1f | %,.0f |",
                size, (long) result[0], result[1], result[2], result[3], result[0] / result[3]));
      }
      context.finishProgress();
      out.println("| impressions | event lines | ingest s | transform s | total s | lines/s |");
      out.println("|---:|---:|---:|---:|---:|---:|");
      rows.forEach(out::println);
      if (points.size() >= 2) {
        out.printf("log-log slope of total time against event lines: %.3f%n", slope(points));
      }
      return 0;
    }

    /** [event lines, ingest seconds, transform seconds, total seconds] for one size. */
    private double[] measure(CommandContext context, GenerateSettings base, long size) {
      GenerateSettings settings = scaled(base, size);
      String raw = workDirectory.resolve("raw-" + size).toString();
      if (!GenerateJob.recordsSettings(GenerateJob.readManifest(context.spark(), raw), settings)) {
        context.reporter().step("benchmark: generating " + size + " impressions (not timed)");
        new GenerateJob(context.spark(), context.reporter()).run(settings, raw, true);
      }
      Path lakehouseDirectory = workDirectory.resolve("lakehouse-" + size);
      delete(lakehouseDirectory);
      Lakehouse lakehouse = new Lakehouse(context.spark(), lakehouseDirectory.toString());
      Reporter reporter = context.reporter();

      long start = System.nanoTime();
      IngestJob ingest = new IngestJob(lakehouse, context.clock(), reporter);
      for (String part :
          List.of(GeneratedFiles.USERS, GeneratedFiles.ITEMS, GeneratedFiles.EVENTS)) {
        ingest.run(IngestRequest.of(List.of(raw + "/" + part)));
      }
      long ingested = System.nanoTime();
      List<Reconciliation> results =
          new TransformJob(
                  lakehouse, context.clock(), context.config().transformFutureTolerance(), reporter)
              .run(false)
              .tables();
      long done = System.nanoTime();
      long lines =
          results.stream()
              .filter(r -> r.table() == BronzeTable.EVENTS)
              .mapToLong(Reconciliation::bronzeRows)
              .sum();
      reporter.detail(
          String.format(
              "%,d impressions: %,d event lines, %,d in silver; ingest %.1fs, transform %.1fs",
              size,
              lines,
              lakehouse.read(SilverInteractions.NAME).count(),
              (ingested - start) / 1e9,
              (done - ingested) / 1e9));
      return new double[] {
        lines, (ingested - start) / 1e9, (done - ingested) / 1e9, (done - start) / 1e9
      };
    }

    private static GenerateSettings scaled(GenerateSettings base, long events) {
      return new GenerateSettings(
          Math.max(1_000, events / 200),
          Math.max(500, events / 2_000),
          events,
          base.days(),
          base.startDate(),
          base.seed(),
          base.categories(),
          base.latentDim(),
          base.itemZipf(),
          base.userZipf(),
          base.ratingFraction(),
          base.dirtyFraction(),
          base.duplicateFraction(),
          base.driftDay());
    }

    /** Least-squares slope of log(time) against log(size). */
    static double slope(List<double[]> points) {
      double n = points.size();
      double sumX = 0;
      double sumY = 0;
      double sumXy = 0;
      double sumXx = 0;
      for (double[] point : points) {
        double x = Math.log(point[0]);
        double y = Math.log(point[1]);
        sumX += x;
        sumY += y;
        sumXy += x * y;
        sumXx += x * x;
      }
      return (n * sumXy - sumX * sumY) / (n * sumXx - sumX * sumX);
    }

    private static void delete(Path directory) {
      if (!Files.exists(directory)) {
        return;
      }
      try (Stream<Path> paths = Files.walk(directory)) {
        for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(path);
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot delete " + directory, e);
      }
      if (Files.exists(directory)) {
        throw DemoErrors.conflict("could not delete " + directory);
      }
    }
  }

  @Command(
      name = "materialize",
      mixinStandardHelpOptions = true,
      description = {
        "Time materialization into each online store at several sizes.",
        "For each size: a synthetic Delta feature table of that many entities with 20 features (10",
        "Int64, 10 Float64), one row each (not timed), a repository with one view over it, apply (not",
        "timed), then a timed full materialization into a fresh SQLite file and into Redis (keys",
        "deleted afterwards). Prints a Markdown table of entity rows and feature values per second."
      })
  static final class Materialize extends LakerankSubcommand {
    @Option(
        names = "--sizes",
        split = ",",
        paramLabel = "N,N,...",
        defaultValue = "100000,400000,1000000",
        description = "Entities per run (default: ${DEFAULT-VALUE}).")
    List<Long> sizes;

    @Option(
        names = "--stores",
        split = ",",
        paramLabel = "STORE",
        defaultValue = "sqlite,redis",
        description = "Online stores to time: sqlite, redis (default: ${DEFAULT-VALUE}).")
    List<String> stores;

    @Option(
        names = "--redis",
        paramLabel = "HOST:PORT",
        defaultValue = "127.0.0.1:6379",
        description = "The Redis server (default: ${DEFAULT-VALUE}).")
    String redis;

    @Option(
        names = "--work-dir",
        paramLabel = "DIR",
        defaultValue = "./data/benchmark",
        description =
            "Where the tables, repository and SQLite files go (default: ${DEFAULT-VALUE}).")
    Path workDirectory;

    @Override
    protected int run(CommandContext context) throws IOException {
      PrintStream out = context.out();
      List<String> rows = new ArrayList<>();
      Instant end = Instant.parse("2026-01-31T00:00:00Z");
      for (long size : sizes) {
        Path base = workDirectory.resolve("materialize-" + size).toAbsolutePath();
        FilesToSilver.delete(base);
        Lakehouse lakehouse = new Lakehouse(context.spark(), base.resolve("lakehouse").toString());
        Path repo = base.resolve("repo");
        writeRepository(repo, "bench" + size);
        context.reporter().step("benchmark: writing " + size + " entities (not timed)");
        List<Column> columns =
            new ArrayList<>(
                List.of(
                    col("id").alias("entity_id"),
                    lit(java.sql.Timestamp.from(end.minusSeconds(3_600)))
                        .alias(FeatureTableColumns.EVENT_TIMESTAMP)));
        for (int i = 0; i < 10; i++) {
          columns.add(pmod(col("id").multiply(31 + i), lit(1_000)).alias("count_" + i));
          columns.add(rand(i).alias("rate_" + i));
        }
        context
            .spark()
            .range(1, size + 1)
            .select(columns.toArray(Column[]::new))
            .write()
            .format("delta")
            .save(lakehouse.location(TableName.parse("bench.entity_features")));
        for (String store : stores) {
          LakerankConfig.Locations locations =
              new LakerankConfig.Locations(
                  lakehouse.root(),
                  base.resolve("raw").toString(),
                  repo,
                  base.resolve(store),
                  store.equals("redis") ? "redis:" + redis : "repo",
                  base.resolve("registry"),
                  base.resolve("reports"));
          FeatureStoreLocation location = locations.featureStore();
          new FeatureApply(lakehouse, context.clock()).apply(location);
          long started = System.nanoTime();
          MaterializeJob.ViewResult result =
              new MaterializeJob(lakehouse, context.clock(), context.reporter())
                  .run(location, Optional.of(Instant.EPOCH), end, List.of())
                  .get(0);
          double seconds = (System.nanoTime() - started) / 1e9;
          rows.add(
              String.format(
                  "| %s | %,d | %,d | %.1f | %,.0f | %,.0f |",
                  store,
                  result.written(),
                  result.featureValues(),
                  seconds,
                  result.written() / seconds,
                  result.featureValues() / seconds));
          if (store.equals("redis")) {
            try (OnlineStore online = location.openOnline(1)) {
              online.teardown(List.of());
            }
          }
        }
      }
      context.finishProgress();
      out.println("| store | entity rows | feature values | seconds | rows/s | feature values/s |");
      out.println("|---|---:|---:|---:|---:|---:|");
      rows.forEach(out::println);
      return 0;
    }

    private static void writeRepository(Path repo, String project) throws IOException {
      Files.createDirectories(repo);
      Files.writeString(
          repo.resolve("feature_store.yaml"),
          String.join(
              "\n",
              "project: " + project,
              "registry: data/registry.db",
              "online_store:",
              "  type: sqlite",
              "  path: data/online.db",
              "entity_key_serialization_version: 3",
              ""));
      List<String> lines =
          new ArrayList<>(
              List.of(
                  "entities:",
                  "  - {name: entity, join_key: entity_id, value_type: Int64}",
                  "feature_views:",
                  "  - name: entity_features",
                  "    entities: [entity]",
                  "    ttl: 0",
                  "    source: {table: bench.entity_features, timestamp_field: event_timestamp}",
                  "    features:"));
      for (int i = 0; i < 10; i++) {
        lines.add("      - {name: count_" + i + ", dtype: Int64}");
        lines.add("      - {name: rate_" + i + ", dtype: Float64}");
      }
      Files.writeString(repo.resolve("features.yaml"), String.join("\n", lines) + "\n");
    }
  }
}
