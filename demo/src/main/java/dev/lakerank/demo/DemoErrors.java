package dev.lakerank.demo;

import dev.lakerank.contract.errors.ErrorCategory;
import dev.lakerank.jobs.JobErrors;
import dev.lakerank.jobs.LakerankException;

/** The one place the demo and benchmark commands make their user-facing errors, by category. */
final class DemoErrors {
  private DemoErrors() {}

  static LakerankException invalidInput(String message) {
    return JobErrors.of(ErrorCategory.INVALID_INPUT, message, null);
  }

  /** The serving API answers, but not with what the demo needs (no trained models). */
  static LakerankException conflict(String message) {
    return JobErrors.of(ErrorCategory.CONFLICT, message, null);
  }

  static LakerankException conflict(String message, Throwable cause) {
    return JobErrors.of(ErrorCategory.CONFLICT, message, cause);
  }

  /** The serving API or the feature stream did not answer in time. */
  static LakerankException unavailable(String message) {
    return JobErrors.of(ErrorCategory.UNAVAILABLE, message, null);
  }

  static LakerankException unavailable(String message, Throwable cause) {
    return JobErrors.of(ErrorCategory.UNAVAILABLE, message, cause);
  }
}
