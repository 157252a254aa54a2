package dev.lakerank.jobs.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The text value of every setting and where it came from (default, file, environment, flag), plus
 * the Spark and Kafka properties passed through verbatim.
 */
public final class ResolvedSettings {
  private final Map<String, String> values;
  private final Map<String, String> origins;
  private final Map<String, String> sparkConf;
  private final Map<String, String> kafkaConf;

  ResolvedSettings(
      Map<String, String> values,
      Map<String, String> origins,
      Map<String, String> sparkConf,
      Map<String, String> kafkaConf) {
    this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    this.origins = Collections.unmodifiableMap(new LinkedHashMap<>(origins));
    this.sparkConf = Collections.unmodifiableMap(new LinkedHashMap<>(sparkConf));
    this.kafkaConf = Collections.unmodifiableMap(new LinkedHashMap<>(kafkaConf));
  }

  /** The typed value of {@code setting}. */
  public <T> T get(Setting<T> setting) {
    return setting.parse(text(setting), origin(setting));
  }

  /** The value as text. */
  public String text(Setting<?> setting) {
    return values.get(setting.key());
  }

  /** Where the value came from: {@code default}, a file, {@code $VARIABLE} or {@code --flag}. */
  public String origin(Setting<?> setting) {
    return origins.get(setting.key());
  }

  /** Spark properties from {@code spark.conf} in the file, passed to the session verbatim. */
  public Map<String, String> sparkConf() {
    return sparkConf;
  }

  /** Kafka client properties from {@code kafka.conf}, passed to every Kafka client verbatim. */
  public Map<String, String> kafkaConf() {
    return kafkaConf;
  }
}
