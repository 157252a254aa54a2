package dev.lakerank.model.bundle;

import dev.lakerank.contract.errors.ErrorCategory;

/** The one place the bundle format and the scorers make their errors, by category. */
public final class BundleErrors {
  private BundleErrors() {}

  /**
   * A bundle, or a model to export into one, that cannot be used as it is: a file missing, a
   * checksum that does not match, a payload that is truncated or inconsistent.
   */
  public static BundleException invalid(String message) {
    return new BundleException(ErrorCategory.INVALID_INPUT, message, null);
  }

  public static BundleException invalid(String message, Throwable cause) {
    return new BundleException(ErrorCategory.INVALID_INPUT, message, cause);
  }

  /** No bundle where one is named. */
  public static BundleException notFound(String message) {
    return new BundleException(ErrorCategory.NOT_FOUND, message, null);
  }

  public static BundleException notFound(String message, Throwable cause) {
    return new BundleException(ErrorCategory.NOT_FOUND, message, cause);
  }
}
