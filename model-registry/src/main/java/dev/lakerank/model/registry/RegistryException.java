package dev.lakerank.model.registry;

import dev.lakerank.contract.errors.CategorizedException;
import dev.lakerank.contract.errors.ErrorCategory;

/**
 * A registry request that cannot be met; the message says why and what to do. Made by {@link
 * RegistryErrors} (and, for a failed call to MLflow, its {@code MlflowRequestException}).
 */
public class RegistryException extends CategorizedException {
  private static final long serialVersionUID = 1L;

  protected RegistryException(ErrorCategory category, String message, Throwable cause) {
    super(category, message, cause);
  }
}
