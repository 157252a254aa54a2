package dev.lakerank.jobs.cli;

import static java.util.Objects.requireNonNull;

import dev.lakerank.jobs.config.LakerankConfig.SparkSettings;
import dev.lakerank.jobs.spark.SparkSessions;
import java.io.PrintStream;
import java.time.Clock;
import java.util.Map;
import java.util.function.Function;
import org.apache.spark.sql.SparkSession;

/**
 * What the CLI takes from the process: environment variables, output streams, the clock, whether
 * stderr is a terminal, and how to get a SparkSession. Tests pass their own.
 *
 * @param stopSparkWhenDone stop the session after the command (the CLI's own JVM); tests share one
 */
public record CliEnvironment(
    Map<String, String> variables,
    PrintStream out,
    PrintStream err,
    Clock clock,
    boolean terminal,
    Function<SparkSettings, SparkSession> sparkFactory,
    boolean stopSparkWhenDone) {
  public CliEnvironment {
    variables = Map.copyOf(variables);
    requireNonNull(out, "out");
    requireNonNull(err, "err");
    requireNonNull(clock, "clock");
    requireNonNull(sparkFactory, "sparkFactory");
  }

  /** The real process. */
  public static CliEnvironment system() {
    return new CliEnvironment(
        System.getenv(),
        System.out,
        System.err,
        Clock.systemUTC(),
        System.console() != null,
        SparkSessions::create,
        true);
  }
}
