package dev.lakerank.serving.log;

/**
 * What the prediction log records: an answer ({@link PredictionEntry}) or feedback on one ({@link
 * FeedbackEntry}).
 */
public sealed interface LogEntry permits PredictionEntry, FeedbackEntry {
  /**
   * The answer's request id: the key that joins feedback to its answer, and the Kafka message key.
   */
  String requestId();
}
