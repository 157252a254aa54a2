package dev.lakerank.demo;

import dev.lakerank.featurestore.definition.DurationText;
import dev.lakerank.jobs.cli.CommandContext;
import dev.lakerank.jobs.cli.LakerankSubcommand;
import dev.lakerank.streaming.cli.BootstrapServersOption;
import dev.lakerank.streaming.cli.StreamingLogs;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code lakerank stream demo}: the demo's live part ({@link LiveDemo}). */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "The demo's live part: one user's real-time features and served recommendations, before and after",
      "the user clicks. First waits until `stream features` (which must be running) has read every event the",
      "topic holds, then sends the clicks to the events topic, waits until the online store has them, and",
      "asks the serving API again. `bin/lakerank demo` runs it."
    })
final class StreamDemoCommand extends LakerankSubcommand {
  @Option(
      names = "--serving",
      paramLabel = "URL",
      defaultValue = "http://127.0.0.1:8080",
      description = "The serving API (default ${DEFAULT-VALUE}).")
  String serving;

  @Option(
      names = "--user",
      paramLabel = "ID",
      description =
          "The user who clicks (default: the first of users 1, 2, ... without a real-time value of the last hour).")
  Long user;

  @Option(
      names = "--clicks",
      paramLabel = "N",
      defaultValue = "5",
      description =
          "Clicks to send, each after an impression, on the user's top items (default ${DEFAULT-VALUE}).")
  int clicks;

  @Option(
      names = "--timeout",
      paramLabel = "D",
      defaultValue = "60s",
      description =
          "How long to wait for the clicks to reach the online store, and at most between two batches of "
              + "`stream features` while it catches up (default ${DEFAULT-VALUE}).")
  String timeout;

  @Mixin BootstrapServersOption brokers;

  @Override
  protected Map<String, String> overrides() {
    return brokers.addTo(super.overrides());
  }

  @Override
  protected int run(CommandContext context) throws Exception {
    StreamingLogs.apply(context.verbose());
    if (clicks < 1) {
      throw DemoErrors.invalidInput("--clicks is " + clicks + "; give at least 1");
    }
    new LiveDemo(
            context.config().stream(),
            context.config().locations().featureStore(),
            serving,
            context.out(),
            context.clock())
        .run(user, clicks, DurationText.parse(timeout));
    return 0;
  }
}
