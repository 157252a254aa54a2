package dev.lakerank.streaming.internal;

import dev.lakerank.jobs.config.LakerankConfig.StreamSettings;
import dev.lakerank.streaming.kafka.KafkaClients;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** The streaming read of Kafka topics every query starts from, with the settings' limits. */
public final class KafkaSource {
  private KafkaSource() {}

  /**
   * Kafka's rows ({@code key}, {@code value}, {@code topic}, {@code partition}, {@code offset},
   * {@code timestamp}, {@code timestampType}) of {@code topics}, as a stream.
   */
  public static Dataset<Row> read(
      SparkSession spark, StreamSettings settings, List<String> topics) {
    return spark
        .readStream()
        .format("kafka")
        .options(KafkaClients.sparkOptions(settings))
        .option("subscribe", String.join(",", topics))
        .option("startingOffsets", settings.startingOffsets())
        .option("maxOffsetsPerTrigger", settings.maxOffsetsPerTrigger())
        .option("failOnDataLoss", settings.failOnDataLoss())
        .load();
  }
}
