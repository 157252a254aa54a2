package dev.lakerank.jobs.cli;

import dev.lakerank.jobs.Reporter;
import dev.lakerank.jobs.catalog.Lakehouse;
import dev.lakerank.jobs.config.ConfigLoader;
import dev.lakerank.jobs.config.LakerankConfig;
import dev.lakerank.jobs.spark.LogLevels;
import dev.lakerank.jobs.spark.ProgressBar;
import dev.lakerank.model.registry.LocalModelRegistry;
import dev.lakerank.model.registry.ModelRegistry;
import dev.lakerank.model.registry.mlflow.MlflowModelRegistry;
import java.io.PrintStream;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.SparkSession;

/**
 * What one command runs with: the configuration, read once here at the edge, and the SparkSession,
 * started only when the command first needs it. Commands of other modules ({@link
 * CommandExtension}) get the same.
 */
public final class CommandContext implements AutoCloseable {
  private final CliEnvironment environment;
  private final LakerankConfig config;
  private final boolean verbose;
  private final ProgressBar progress;
  private final ConsoleReporter reporter;
  private SparkSession spark;
  private Lakehouse lakehouse;
  private ModelRegistry registry;

  CommandContext(
      CliEnvironment environment,
      Optional<java.nio.file.Path> configFile,
      boolean verbose,
      Map<String, String> overrides) {
    this.environment = environment;
    this.config = ConfigLoader.load(configFile, environment.variables(), overrides);
    this.verbose = verbose;
    boolean showProgress =
        config.progress() == LakerankConfig.Progress.ALWAYS
            || (config.progress() == LakerankConfig.Progress.AUTO && environment.terminal());
    this.progress =
        showProgress
            ? new ProgressBar(environment.err(), environment.terminal(), environment.clock())
            : null;
    this.reporter = new ConsoleReporter(environment.err(), environment.clock(), progress);
  }

  public LakerankConfig config() {
    return config;
  }

  /** The session, started on first use. */
  public SparkSession spark() {
    if (spark == null) {
      LogLevels.apply(verbose);
      spark = environment.sparkFactory().apply(config.spark());
      if (progress != null) {
        spark.sparkContext().addSparkListener(progress);
      }
    }
    return spark;
  }

  public Lakehouse lakehouse() {
    if (lakehouse == null) {
      lakehouse = new Lakehouse(spark(), config.locations().lakehouseRoot());
    }
    return lakehouse;
  }

  /** The model registry the configuration names ({@code registry.type}), made on first use. */
  public ModelRegistry registry() {
    if (registry == null) {
      registry =
          config
              .mlflowRegistry()
              .<ModelRegistry>map(mlflow -> new MlflowModelRegistry(mlflow, environment.clock()))
              .orElseGet(
                  () ->
                      new LocalModelRegistry(
                          config.locations().registryRoot(), environment.clock()));
    }
    return registry;
  }

  /** Whether {@code --verbose} asked for the libraries' own INFO logs. */
  public boolean verbose() {
    return verbose;
  }

  public Reporter reporter() {
    return reporter;
  }

  public Clock clock() {
    return environment.clock();
  }

  public PrintStream out() {
    return environment.out();
  }

  public PrintStream err() {
    return environment.err();
  }

  /** Clears the progress line; call before printing results. */
  public void finishProgress() {
    reporter.finish();
  }

  @Override
  public void close() {
    reporter.finish();
    if (registry != null) {
      registry.close();
    }
    if (spark != null) {
      if (progress != null) {
        spark.sparkContext().removeSparkListener(progress);
      }
      if (environment.stopSparkWhenDone()) {
        spark.stop();
      }
    }
  }
}
