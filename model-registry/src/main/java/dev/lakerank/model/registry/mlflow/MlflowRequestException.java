package dev.lakerank.model.registry.mlflow;

import dev.lakerank.contract.errors.ErrorCategory;
import dev.lakerank.model.registry.RegistryException;

/**
 * A call to MLflow that failed: the server's answer (status and MLflow error code) or no answer
 * (status 0). The message says which call, what the server said and what to check; {@link
 * MlflowErrors} writes it.
 */
public final class MlflowRequestException extends RegistryException {
  private static final long serialVersionUID = 1L;

  private final String call;
  private final int status;
  private final String errorCode;

  MlflowRequestException(
      String message, String call, int status, String errorCode, Throwable cause) {
    super(category(status), message, cause);
    this.call = call;
    this.status = status;
    this.errorCode = errorCode;
  }

  /** What an MLflow answer means to the caller: no answer or a 5xx is a server to wait for. */
  private static ErrorCategory category(int status) {
    return switch (status) {
      case 0, 500, 502, 503, 504 -> ErrorCategory.UNAVAILABLE;
      case 401 -> ErrorCategory.UNAUTHENTICATED;
      case 403 -> ErrorCategory.PERMISSION_DENIED;
      case 404 -> ErrorCategory.NOT_FOUND;
      case 409 -> ErrorCategory.CONFLICT;
      default -> status >= 500 ? ErrorCategory.UNAVAILABLE : ErrorCategory.INVALID_INPUT;
    };
  }

  /** The method and endpoint, {@code POST registered-models/create}. */
  public String call() {
    return call;
  }

  /** The HTTP status, or 0 when the server did not answer. */
  public int status() {
    return status;
  }

  /**
   * MLflow's {@code error_code} ({@code RESOURCE_DOES_NOT_EXIST}), or null when the body had none.
   */
  public String errorCode() {
    return errorCode;
  }

  boolean is(String code) {
    return code.equals(errorCode);
  }
}
