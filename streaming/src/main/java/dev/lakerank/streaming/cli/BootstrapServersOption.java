package dev.lakerank.streaming.cli;

import dev.lakerank.jobs.config.Settings;
import java.util.Map;
import picocli.CommandLine.Option;

/** {@code --bootstrap-servers}, shared by every command that talks to Kafka (a picocli mixin). */
public final class BootstrapServersOption {
  @Option(
      names = "--bootstrap-servers",
      paramLabel = "HOST:PORT[,...]",
      description = "Kafka brokers (kafka.bootstrap-servers; default 127.0.0.1:9092).")
  public String value;

  /** Puts the option, when given, into a command's setting overrides. */
  public Map<String, String> addTo(Map<String, String> overrides) {
    if (value != null) {
      overrides.put(Settings.KAFKA_BOOTSTRAP_SERVERS.key(), value);
    }
    return overrides;
  }
}
