package dev.lakerank.featurestore.errors;

import dev.lakerank.contract.errors.CategorizedException;
import dev.lakerank.contract.errors.ErrorCategory;

/**
 * The online store failed, is configured wrong, or holds something that is not in Feast's layout.
 * Made by {@link FeatureStoreErrors}.
 */
public final class OnlineStoreException extends CategorizedException {
  private static final long serialVersionUID = 1L;

  OnlineStoreException(ErrorCategory category, String message, Throwable cause) {
    super(category, message, cause);
  }
}
