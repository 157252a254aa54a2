package dev.lakerank.jobs.testing;

import dev.lakerank.jobs.cli.CliEnvironment;
import dev.lakerank.jobs.cli.LakerankCommand;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;

/** Runs the CLI in this JVM on the shared SparkSession and keeps what it printed. */
public record CliRun(int exitCode, String out, String err) {
  /** Runs {@code args} with {@code variables} as the environment. */
  public static CliRun run(Map<String, String> variables, String... args) {
    return run(variables, Clock.systemUTC(), args);
  }

  public static CliRun run(Map<String, String> variables, Clock clock, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    CliEnvironment environment =
        new CliEnvironment(
            variables,
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8),
            clock,
            false,
            settings -> SharedSpark.session(),
            false);
    int code = LakerankCommand.run(environment, args);
    return new CliRun(
        code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }
}
