package dev.lakerank.featurestore.errors;

import dev.lakerank.contract.errors.CategorizedException;
import dev.lakerank.contract.errors.ErrorCategory;

/**
 * A feature definition or repository configuration is wrong, or names something that does not
 * exist. The message names the file or object, the offending value and what to change. Made by
 * {@link FeatureStoreErrors}.
 */
public final class DefinitionException extends CategorizedException {
  private static final long serialVersionUID = 1L;

  DefinitionException(ErrorCategory category, String message, Throwable cause) {
    super(category, message, cause);
  }
}
