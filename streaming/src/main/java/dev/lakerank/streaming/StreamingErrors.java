package dev.lakerank.streaming;

import dev.lakerank.contract.errors.ErrorCategory;
import dev.lakerank.jobs.JobErrors;
import dev.lakerank.jobs.LakerankException;

/**
 * The one place the streaming jobs, the Kafka clients and the in-process broker make their
 * user-facing errors, by category (as the jobs' {@link JobErrors}).
 */
public final class StreamingErrors {
  private StreamingErrors() {}

  /** A message, an argument or a checkpoint is not what it must be. */
  public static LakerankException invalidInput(String message) {
    return JobErrors.of(ErrorCategory.INVALID_INPUT, message, null);
  }

  /** A topic, an events log, a feature view or a checkpoint does not exist. */
  public static LakerankException notFound(String message) {
    return JobErrors.of(ErrorCategory.NOT_FOUND, message, null);
  }

  public static LakerankException notFound(String message, Throwable cause) {
    return JobErrors.of(ErrorCategory.NOT_FOUND, message, cause);
  }

  /** The state refuses it: messages gone from Kafka under a checkpoint, a port taken. */
  public static LakerankException conflict(String message) {
    return JobErrors.of(ErrorCategory.CONFLICT, message, null);
  }

  public static LakerankException conflict(String message, Throwable cause) {
    return JobErrors.of(ErrorCategory.CONFLICT, message, cause);
  }

  /** A Kafka or broker setting is wrong. */
  public static LakerankException configuration(String message) {
    return JobErrors.of(ErrorCategory.CONFIGURATION, message, null);
  }

  public static LakerankException configuration(String message, Throwable cause) {
    return JobErrors.of(ErrorCategory.CONFIGURATION, message, cause);
  }

  /** Kafka, the broker or Delta did not answer: try again when it is up. */
  public static LakerankException unavailable(String message) {
    return JobErrors.of(ErrorCategory.UNAVAILABLE, message, null);
  }

  public static LakerankException unavailable(String message, Throwable cause) {
    return JobErrors.of(ErrorCategory.UNAVAILABLE, message, cause);
  }
}
