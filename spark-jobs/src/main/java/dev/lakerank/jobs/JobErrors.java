package dev.lakerank.jobs;

import dev.lakerank.contract.errors.CategorizedException;
import dev.lakerank.contract.errors.ErrorCategory;

/**
 * The one place the batch jobs and the CLI make their user-facing errors, by category. The message
 * stays where the problem is found; the category says what kind of problem it is.
 *
 * <pre>{@code
 * throw JobErrors.notFound("table " + table + " does not exist under " + root + " (see lakerank tables)");
 * }</pre>
 */
public final class JobErrors {
  private JobErrors() {}

  /** The input is wrong: a file, a row, an argument, a definition. */
  public static LakerankException invalidInput(String message) {
    return of(ErrorCategory.INVALID_INPUT, message, null);
  }

  public static LakerankException invalidInput(String message, Throwable cause) {
    return of(ErrorCategory.INVALID_INPUT, message, cause);
  }

  /** Something named does not exist: a table, a file, a feature view, a source. */
  public static LakerankException notFound(String message) {
    return of(ErrorCategory.NOT_FOUND, message, null);
  }

  public static LakerankException notFound(String message, Throwable cause) {
    return of(ErrorCategory.NOT_FOUND, message, cause);
  }

  /** The state refuses it: a changed file, settings that differ from the data's. */
  public static LakerankException conflict(String message) {
    return of(ErrorCategory.CONFLICT, message, null);
  }

  public static LakerankException conflict(String message, Throwable cause) {
    return of(ErrorCategory.CONFLICT, message, cause);
  }

  /** A setting is wrong or missing. */
  public static LakerankException configuration(String message) {
    return of(ErrorCategory.CONFIGURATION, message, null);
  }

  public static LakerankException configuration(String message, Throwable cause) {
    return of(ErrorCategory.CONFIGURATION, message, cause);
  }

  /** A service or file system the job needs did not answer: try again when it is up. */
  public static LakerankException unavailable(String message) {
    return of(ErrorCategory.UNAVAILABLE, message, null);
  }

  public static LakerankException unavailable(String message, Throwable cause) {
    return of(ErrorCategory.UNAVAILABLE, message, cause);
  }

  /** Another module's user-facing error as the jobs' own, with its message and category. */
  public static LakerankException wrap(CategorizedException error) {
    return of(error.category(), error.getMessage(), error);
  }

  /** An error of {@code category}: for the streaming and demo modules' own errors classes. */
  public static LakerankException of(ErrorCategory category, String message, Throwable cause) {
    return new LakerankException(category, message, cause);
  }
}
