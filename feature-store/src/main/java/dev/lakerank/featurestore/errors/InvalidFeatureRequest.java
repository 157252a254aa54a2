package dev.lakerank.featurestore.errors;

import dev.lakerank.contract.errors.CategorizedException;
import dev.lakerank.contract.errors.ErrorCategory;

/**
 * A feature request that cannot be answered as asked: the message names the problem and the fix.
 * Made by {@link FeatureStoreErrors}.
 */
public final class InvalidFeatureRequest extends CategorizedException {
  private static final long serialVersionUID = 1L;

  InvalidFeatureRequest(String message) {
    super(ErrorCategory.INVALID_INPUT, message, null);
  }
}
