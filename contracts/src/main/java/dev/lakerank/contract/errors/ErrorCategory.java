package dev.lakerank.contract.errors;

/**
 * What kind of problem a user-facing error is: the CLI maps it to an exit code, the serving API to
 * an HTTP status, so a caller can tell a fix of its own input from a dependency to wait for.
 */
public enum ErrorCategory {
  /** The input is wrong (a file, a row, a request, an argument): fix it and try again. */
  INVALID_INPUT,
  /** Something named does not exist (a table, a model, a file, a feature view). */
  NOT_FOUND,
  /**
   * The current state refuses it: a file changed since it was ingested, settings differ from those
   * the data was built with, a version is not the expected one.
   */
  CONFLICT,
  /** A setting is wrong or missing: the message names it. */
  CONFIGURATION,
  /** No credential, or one that is not valid. */
  UNAUTHENTICATED,
  /** A valid credential without the right to do this. */
  PERMISSION_DENIED,
  /** A service it needs did not answer (Kafka, MLflow, Redis, the serving API): try again later. */
  UNAVAILABLE
}
