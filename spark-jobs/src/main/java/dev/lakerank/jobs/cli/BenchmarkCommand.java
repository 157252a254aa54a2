package dev.lakerank.jobs.cli;

import dev.lakerank.jobs.LakerankException;
import dev.lakerank.jobs.Reporter;
import dev.lakerank.jobs.generate.GenerateJob;
import dev.lakerank.jobs.generate.GenerateSettings;
import dev.lakerank.jobs.generate.GeneratedFiles;
import dev.lakerank.jobs.ingest.IngestJob;
import dev.lakerank.jobs.ingest.IngestRequest;
import dev.lakerank.jobs.catalog.Lakehouse;
import dev.lakerank.jobs.tables.BronzeTable;
import dev.lakerank.jobs.tables.SilverInteractions;
import dev.lakerank.jobs.transform.Reconciliation;
import dev.lakerank.jobs.transform.TransformJob;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "benchmark",
    mixinStandardHelpOptions = true,
    description = "Timed runs at several sizes, for docs/benchmarks.md.",
    subcommands = {BenchmarkCommand.FilesToSilver.class})
final class BenchmarkCommand implements Runnable {
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
    @Option(names = "--sizes", split = ",", paramLabel = "N,N,...", defaultValue = "1000000,5000000,20000000",
        description = "Impressions per run (default: ${DEFAULT-VALUE}).")
    List<Long> sizes;

    @Option(names = "--work-dir", paramLabel = "DIR", defaultValue = "./data/benchmark",
        description = "Where data sets and lakehouses go (default: ${DEFAULT-VALUE}).")
    Path workDirectory;

    @Option(names = "--warm-up", paramLabel = "N", defaultValue = "100000",
        description = "Impressions of an untimed first run that warms the JVM (0 for none; default: ${DEFAULT-VALUE}).")
    long warmUp;

    @Override
    int run(CommandContext context) {
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
        rows.add(String.format("| %,d | %,d | %.1f | %.1f | %.1f | %,.0f |", size, (long) result[0], result[1], result[2], result[3],
            result[0] / result[3]));
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
      for (String part : List.of(GeneratedFiles.USERS, GeneratedFiles.ITEMS, GeneratedFiles.EVENTS)) {
        ingest.run(IngestRequest.of(List.of(raw + "/" + part)));
      }
      long ingested = System.nanoTime();
      List<Reconciliation> results =
          new TransformJob(lakehouse, context.clock(), context.config().transformFutureTolerance(), reporter).run(false).tables();
      long done = System.nanoTime();
      long lines =
          results.stream().filter(r -> r.table() == BronzeTable.EVENTS).mapToLong(Reconciliation::bronzeRows).sum();
      reporter.detail(String.format("%,d impressions: %,d event lines, %,d in silver; ingest %.1fs, transform %.1fs",
          size, lines, lakehouse.read(SilverInteractions.NAME).count(), (ingested - start) / 1e9, (done - ingested) / 1e9));
      return new double[] {lines, (ingested - start) / 1e9, (done - ingested) / 1e9, (done - start) / 1e9};
    }

    private static GenerateSettings scaled(GenerateSettings base, long events) {
      return new GenerateSettings(
          Math.max(1_000, events / 200), Math.max(500, events / 2_000), events, base.days(), base.startDate(), base.seed(),
          base.categories(), base.latentDim(), base.itemZipf(), base.userZipf(), base.ratingFraction(), base.dirtyFraction(),
          base.duplicateFraction(), base.driftDay());
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
        throw new LakerankException("could not delete " + directory);
      }
    }
  }
}
