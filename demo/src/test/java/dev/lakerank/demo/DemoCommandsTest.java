package dev.lakerank.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lakerank.jobs.testing.CliRun;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The demo module's commands join the CLI, under their parents, each with its help. */
class DemoCommandsTest {
  @Test
  void benchmarkIsACommandAndDemoASubcommandOfStream() {
    CliRun help = CliRun.run(Map.of(), "--help");
    assertThat(help.exitCode()).isZero();
    assertThat(help.out()).contains("benchmark ");
    CliRun stream = CliRun.run(Map.of(), "stream", "--help");
    assertThat(stream.out()).contains("demo ", "ingest ");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"benchmark", "benchmark files-to-silver", "benchmark materialize", "stream demo"})
  void everyCommandHasHelp(String command) {
    CliRun help = CliRun.run(Map.of(), (command + " --help").split(" "));
    assertThat(help.exitCode()).as(help.err()).isZero();
    assertThat(help.out()).startsWith("Usage: lakerank " + command);
  }
}
