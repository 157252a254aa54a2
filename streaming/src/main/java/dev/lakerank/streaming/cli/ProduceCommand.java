package dev.lakerank.streaming.cli;

import dev.lakerank.featurestore.definition.DurationText;
import dev.lakerank.jobs.cli.CommandContext;
import dev.lakerank.jobs.cli.LakerankSubcommand;
import dev.lakerank.jobs.config.LakerankConfig.StreamSettings;
import dev.lakerank.jobs.generate.GeneratedFiles;
import dev.lakerank.streaming.kafka.KafkaClients;
import dev.lakerank.streaming.produce.EventReplay;
import java.time.Duration;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "produce",
    mixinStandardHelpOptions = true,
    description = {
      "Replay a generated events log into the events topic at a chosen rate.",
      "Reads <raw.root>/events (what `lakerank generate` writes) in date order and sends each line as one",
      "message, its event time set to now (corrupted lines stay corrupted), keyed by user id.",
      "Stops after --events events, after --duration, or when the files end (--loop starts them again)."
    })
final class ProduceCommand extends LakerankSubcommand {
  @Option(
      names = "--rate",
      paramLabel = "N",
      defaultValue = "1000",
      description = "Events per second; 0 for as fast as possible (default ${DEFAULT-VALUE}).")
  double rate;

  @Option(
      names = "--events",
      paramLabel = "N",
      defaultValue = "0",
      description = "Stop after N events (default: no limit).")
  long events;

  @Option(names = "--duration", paramLabel = "D", description = "Stop after this long (30s, 5m).")
  String duration;

  @Option(
      names = "--loop",
      description = "Start the files again when they end, with new event ids.")
  boolean loop;

  @Option(
      names = "--from",
      paramLabel = "DIR",
      description = "The events log (default <raw.root>/events).")
  String from;

  @Mixin BootstrapServersOption brokers;

  @Override
  protected Map<String, String> overrides() {
    return brokers.addTo(super.overrides());
  }

  @Override
  protected int run(CommandContext context) {
    StreamingLogs.apply(context.verbose());
    StreamSettings settings = context.config().stream();
    String events =
        from != null ? from : context.config().locations().rawRoot() + "/" + GeneratedFiles.EVENTS;
    Duration limit = duration == null ? Duration.ZERO : DurationText.parse(duration);
    KafkaClients.requireTopics(settings, java.util.List.of(settings.eventsTopic()));
    context
        .reporter()
        .step(
            "produce: "
                + events
                + " -> topic "
                + settings.eventsTopic()
                + " on "
                + settings.bootstrapServers()
                + (rate > 0 ? String.format(" at %,.0f events/s", rate) : " as fast as possible"));
    EventReplay.Summary summary =
        new EventReplay(KafkaClients.producer(settings), settings.eventsTopic(), context.clock())
            .replay(
                events,
                new EventReplay.Plan(rate, this.events, limit, loop),
                sent -> context.reporter().detail(String.format("%,d events sent", sent)));
    context.finishProgress();
    context
        .out()
        .printf(
            "sent %,d events to %s in %.1f s (%,.0f/s)%n",
            summary.sent(),
            settings.eventsTopic(),
            summary.took().toMillis() / 1000.0,
            summary.rate());
    return 0;
  }
}
