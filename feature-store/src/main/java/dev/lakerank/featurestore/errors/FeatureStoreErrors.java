package dev.lakerank.featurestore.errors;

import dev.lakerank.contract.errors.ErrorCategory;

/** The one place the feature store makes its user-facing errors, by category. */
public final class FeatureStoreErrors {
  private FeatureStoreErrors() {}

  /** A definition (YAML, a reference, a registry file) that is not valid. */
  public static DefinitionException invalidDefinition(String message) {
    return new DefinitionException(ErrorCategory.INVALID_INPUT, message, null);
  }

  public static DefinitionException invalidDefinition(String message, Throwable cause) {
    return new DefinitionException(ErrorCategory.INVALID_INPUT, message, cause);
  }

  /** A definition names, or a caller asks for, something that is not defined or applied. */
  public static DefinitionException undefined(String message) {
    return new DefinitionException(ErrorCategory.NOT_FOUND, message, null);
  }

  /** {@code feature_store.yaml} sets something wrong. */
  public static DefinitionException repositoryConfiguration(String message) {
    return new DefinitionException(ErrorCategory.CONFIGURATION, message, null);
  }

  /** A feature request that cannot be answered as asked. */
  public static InvalidFeatureRequest invalidRequest(String message) {
    return new InvalidFeatureRequest(message);
  }

  /** The online store did not answer, or failed. */
  public static OnlineStoreException storeUnavailable(String message) {
    return new OnlineStoreException(ErrorCategory.UNAVAILABLE, message, null);
  }

  public static OnlineStoreException storeUnavailable(String message, Throwable cause) {
    return new OnlineStoreException(ErrorCategory.UNAVAILABLE, message, cause);
  }

  /** The online store's connection is configured wrong. */
  public static OnlineStoreException storeConfiguration(String message) {
    return new OnlineStoreException(ErrorCategory.CONFIGURATION, message, null);
  }

  public static OnlineStoreException storeConfiguration(String message, Throwable cause) {
    return new OnlineStoreException(ErrorCategory.CONFIGURATION, message, cause);
  }

  /** A row to write, or a stored value, that does not fit the view or Feast's layout. */
  public static OnlineStoreException invalidRow(String message) {
    return new OnlineStoreException(ErrorCategory.INVALID_INPUT, message, null);
  }

  public static OnlineStoreException invalidRow(String message, Throwable cause) {
    return new OnlineStoreException(ErrorCategory.INVALID_INPUT, message, cause);
  }
}
