package dev.lakerank.model.bundle;

import dev.lakerank.contract.errors.CategorizedException;
import dev.lakerank.contract.errors.ErrorCategory;

/**
 * A bundle that cannot be written, read or trusted; the message names the file and the fix. Made by
 * {@link BundleErrors}.
 */
public final class BundleException extends CategorizedException {
  private static final long serialVersionUID = 1L;

  BundleException(ErrorCategory category, String message, Throwable cause) {
    super(category, message, cause);
  }
}
