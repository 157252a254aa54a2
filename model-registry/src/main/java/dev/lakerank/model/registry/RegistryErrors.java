package dev.lakerank.model.registry;

import dev.lakerank.contract.errors.ErrorCategory;

/** The one place the registries make their user-facing errors, by category. */
public final class RegistryErrors {
  private RegistryErrors() {}

  /** No such model, version or alias. */
  public static RegistryException notFound(String message) {
    return new RegistryException(ErrorCategory.NOT_FOUND, message, null);
  }

  /** A name or a stored record that is not valid. */
  public static RegistryException invalid(String message) {
    return new RegistryException(ErrorCategory.INVALID_INPUT, message, null);
  }

  public static RegistryException invalid(String message, Throwable cause) {
    return new RegistryException(ErrorCategory.INVALID_INPUT, message, cause);
  }

  /** The registry's state refuses it: no earlier version to roll back to, a deleted experiment. */
  public static RegistryException conflict(String message) {
    return new RegistryException(ErrorCategory.CONFLICT, message, null);
  }

  public static RegistryException conflict(String message, Throwable cause) {
    return new RegistryException(ErrorCategory.CONFLICT, message, cause);
  }

  /** A registry setting is wrong or missing. */
  public static RegistryException configuration(String message) {
    return new RegistryException(ErrorCategory.CONFIGURATION, message, null);
  }

  public static RegistryException configuration(String message, Throwable cause) {
    return new RegistryException(ErrorCategory.CONFIGURATION, message, cause);
  }

  public static RegistryException notFound(String message, Throwable cause) {
    return new RegistryException(ErrorCategory.NOT_FOUND, message, cause);
  }

  /** The registry did not answer, or did not finish what was asked. */
  public static RegistryException unavailable(String message) {
    return new RegistryException(ErrorCategory.UNAVAILABLE, message, null);
  }

  public static RegistryException unavailable(String message, Throwable cause) {
    return new RegistryException(ErrorCategory.UNAVAILABLE, message, cause);
  }
}
