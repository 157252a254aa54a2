package dev.lakerank.streaming.cli;

import dev.lakerank.jobs.cli.CommandContext;
import dev.lakerank.jobs.cli.LakerankSubcommand;
import dev.lakerank.jobs.config.LakerankConfig.StreamSettings;
import dev.lakerank.jobs.config.Settings;
import dev.lakerank.streaming.StreamingErrors;
import dev.lakerank.streaming.kafka.EmbeddedKafka;
import dev.lakerank.streaming.kafka.KafkaClients;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "kafka",
    mixinStandardHelpOptions = true,
    description = "The in-process Kafka broker of the embedded default.",
    subcommands = {KafkaCommand.Start.class})
final class KafkaCommand implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  @Command(
      name = "start",
      mixinStandardHelpOptions = true,
      description = {
        "Run a single-node Kafka broker (KRaft, Kafka 3.9) in this process until Ctrl-C.",
        "It listens on the port of kafka.bootstrap-servers (127.0.0.1:9092), keeps its log in",
        "kafka.data-dir (./data/kafka) across restarts, and creates the topics the streaming jobs use",
        "(events, events-dead-letter, predictions, feedback) with kafka.partitions partitions.",
        "For a real cluster, skip this and point --bootstrap-servers at it."
      })
  static final class Start extends LakerankSubcommand {
    @Option(
        names = "--port",
        paramLabel = "N",
        description = "Port to listen on (default: the port of kafka.bootstrap-servers).")
    Integer port;

    @Option(
        names = "--data-dir",
        paramLabel = "DIR",
        description = "The broker's log directory (kafka.data-dir; default ./data/kafka).")
    String dataDir;

    @Option(
        names = "--partitions",
        paramLabel = "N",
        description = "Partitions of the topics created (kafka.partitions; default 2).")
    Integer partitions;

    @Override
    protected Map<String, String> overrides() {
      Map<String, String> overrides = super.overrides();
      if (port != null) {
        overrides.put(Settings.KAFKA_BOOTSTRAP_SERVERS.key(), "127.0.0.1:" + port);
      }
      if (dataDir != null) {
        overrides.put(Settings.KAFKA_DATA_DIR.key(), dataDir);
      }
      if (partitions != null) {
        overrides.put(Settings.KAFKA_PARTITIONS.key(), partitions.toString());
      }
      return overrides;
    }

    @Override
    protected int run(CommandContext context) throws InterruptedException {
      StreamingLogs.apply(context.verbose());
      StreamSettings settings = context.config().stream();
      CountDownLatch stopped = new CountDownLatch(1);
      EmbeddedKafka kafka = startBroker(settings);
      // Ctrl-C ends the JVM without waiting for this thread: the hook shuts the broker down cleanly
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    kafka.close();
                    stopped.countDown();
                  },
                  "kafka-stop"));
      List<String> created =
          KafkaClients.createTopics(
              settings, KafkaClients.topics(settings), settings.partitions(), (short) 1);
      context
          .out()
          .println(
              "Kafka "
                  + org.apache.kafka.common.utils.AppInfoParser.getVersion()
                  + " on "
                  + kafka.bootstrapServers()
                  + " (KRaft, log "
                  + kafka.logDirectory()
                  + ")");
      context
          .out()
          .println(
              "topics: "
                  + String.join(", ", KafkaClients.topics(settings))
                  + (created.isEmpty() ? "" : " (created: " + String.join(", ", created) + ")"));
      context.out().println("running until Ctrl-C");
      stopped.await();
      return 0;
    }
  }

  /** Starts the broker on the first bootstrap server's port, which must be this machine's. */
  static EmbeddedKafka startBroker(StreamSettings settings) {
    String first = settings.bootstrapServers().split(",")[0];
    String host = first.substring(0, first.lastIndexOf(':'));
    if (!List.of("127.0.0.1", "localhost", "0.0.0.0").contains(host)) {
      throw StreamingErrors.configuration(
          "kafka.bootstrap-servers is "
              + settings.bootstrapServers()
              + ": the in-process broker runs "
              + "on this machine (127.0.0.1); give 127.0.0.1:<port>, or do not start it and use that cluster");
    }
    try {
      return EmbeddedKafka.start(
          settings.kafkaDataDir(), Integer.parseInt(first.substring(first.lastIndexOf(':') + 1)));
    } catch (NoClassDefFoundError e) {
      throw StreamingErrors.configuration(
          "the in-process Kafka broker is not in this jar ("
              + e.getMessage()
              + "); it runs with "
              + "bin/lakerank on one machine, not under spark-submit",
          e);
    }
  }
}
