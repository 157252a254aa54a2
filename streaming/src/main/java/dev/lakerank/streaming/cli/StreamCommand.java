package dev.lakerank.streaming.cli;

import dev.lakerank.jobs.cli.CommandContext;
import dev.lakerank.jobs.cli.LakerankSubcommand;
import dev.lakerank.jobs.config.LakerankConfig;
import dev.lakerank.jobs.config.LakerankConfig.StreamSettings;
import dev.lakerank.streaming.features.StreamFeatures;
import dev.lakerank.streaming.ingest.StreamIngest;
import dev.lakerank.streaming.kafka.EmbeddedKafka;
import dev.lakerank.streaming.kafka.KafkaClients;
import dev.lakerank.streaming.logs.StreamLogs;
import dev.lakerank.streaming.supervise.StreamSupervisor;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "stream",
    mixinStandardHelpOptions = true,
    description = {
      "Structured Streaming jobs on Kafka: events into bronze, real-time features, prediction logs.",
      "Each runs until Ctrl-C (or with --available-now until it has read what is there), keeps its",
      "checkpoint under stream.checkpoints and resumes from it exactly where it stopped: no message",
      "lost or written twice."
    },
    subcommands = {
      StreamCommand.Ingest.class,
      StreamCommand.Features.class,
      StreamCommand.Logs.class,
      StreamCommand.All.class
    })
final class StreamCommand implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  @Command(
      name = "ingest",
      mixinStandardHelpOptions = true,
      description = {
        "Topic events (JSON) into bronze.events, checked by the batch path's expectations.",
        "Valid events go to bronze (then `transform` takes them to silver); every other message goes to",
        "quarantine.events with its rule, reason and raw payload, and to the dead-letter topic. Micro-batches",
        "every stream.ingest-trigger (1s), recorded in ops.stream_batches."
      })
  static final class Ingest extends Run {
    @Override
    List<String> queries() {
      return List.of(StreamIngest.QUERY);
    }
  }

  @Command(
      name = "features",
      mixinStandardHelpOptions = true,
      description = {
        "Real-time features from topic events: per user and item, impressions and clicks in the last hour",
        "and the last category seen, pushed to the online store (stream feature views user_realtime,",
        "item_realtime) and appended to gold.user_realtime_features and gold.item_realtime_features.",
        "Late events within stream.watermark (10m) still count; a micro-batch starts as soon as the last",
        "one ends (stream.features-trigger)."
      })
  static final class Features extends Run {
    @Override
    List<String> queries() {
      return List.of(StreamFeatures.QUERY);
    }
  }

  @Command(
      name = "logs",
      mixinStandardHelpOptions = true,
      description = {
        "Topics predictions and feedback (the serving API's logs) into ml.prediction_log and ml.feedback,",
        "joinable on request_id; bad messages go to quarantine.logs."
      })
  static final class Logs extends Run {
    @Override
    List<String> queries() {
      return List.of(StreamLogs.QUERY);
    }
  }

  @Command(
      name = "all",
      mixinStandardHelpOptions = true,
      description = "ingest, features and logs in one process (what `demo` runs).")
  static final class All extends Run {
    @Override
    List<String> queries() {
      return List.of(StreamIngest.QUERY, StreamFeatures.QUERY, StreamLogs.QUERY);
    }
  }

  /** Runs some of the queries until they stop. */
  abstract static class Run extends LakerankSubcommand {
    @Mixin BootstrapServersOption brokers;

    @Option(
        names = "--available-now",
        description =
            "Read what the topics hold now, in batches of stream.max-offsets-per-trigger, then stop.")
    boolean availableNow;

    @Option(
        names = "--with-kafka",
        description = "Start the in-process broker in this process first (as `kafka start`).")
    boolean withKafka;

    abstract List<String> queries();

    @Override
    protected Map<String, String> overrides() {
      return brokers.addTo(super.overrides());
    }

    @Override
    protected int run(CommandContext context) throws Exception {
      StreamingLogs.apply(context.verbose());
      LakerankConfig config = context.config();
      StreamSettings settings = config.stream();
      SparkSession spark = context.spark();
      StreamProgress progress = new StreamProgress(context.reporter(), context.clock());
      spark.streams().addListener(progress);
      try (StreamSupervisor supervisor =
          new StreamSupervisor(spark, context.reporter(), settings.checkpoints())) {
        if (withKafka) {
          EmbeddedKafka kafka = KafkaCommand.startBroker(settings);
          supervisor.closeOnStop(kafka);
          KafkaClients.createTopics(
              settings, KafkaClients.topics(settings), settings.partitions(), (short) 1);
          context
              .reporter()
              .step(
                  "Kafka on "
                      + kafka.bootstrapServers()
                      + " (in this process, log "
                      + kafka.logDirectory()
                      + ")");
        } else {
          KafkaClients.requireTopics(settings, List.copyOf(topics(settings)));
        }
        for (String query : queries()) {
          switch (query) {
            case StreamIngest.QUERY ->
                supervisor.add(
                    query,
                    () ->
                        new StreamIngest(
                                context.lakehouse(),
                                settings,
                                config.transformFutureTolerance(),
                                context.clock())
                            .start(availableNow));
            case StreamFeatures.QUERY -> {
              StreamFeatures features =
                  new StreamFeatures(
                      context.lakehouse(),
                      settings,
                      config.transformFutureTolerance(),
                      config.locations().featureStore(),
                      context.clock());
              supervisor.closeOnStop(features::close);
              supervisor.add(query, () -> features.start(availableNow));
            }
            case StreamLogs.QUERY ->
                supervisor.add(
                    query,
                    () ->
                        new StreamLogs(context.lakehouse(), settings, context.clock())
                            .start(availableNow));
            default -> throw new IllegalStateException(query);
          }
        }
        supervisor.start(query -> "stream " + query + ": checkpoint " + settings.checkpoint(query));
        context
            .reporter()
            .step(availableNow ? "reading what the topics hold" : "running until Ctrl-C");
        supervisor.awaitStopped();
        context.finishProgress();
        progress.summary().forEach(context.out()::println);
        return 0;
      } finally {
        spark.streams().removeListener(progress);
      }
    }

    private Set<String> topics(StreamSettings settings) {
      Set<String> topics = new LinkedHashSet<>();
      for (String query : queries()) {
        if (query.equals(StreamLogs.QUERY)) {
          topics.add(settings.predictionsTopic());
          topics.add(settings.feedbackTopic());
        } else {
          topics.add(settings.eventsTopic());
        }
      }
      return topics;
    }
  }
}
