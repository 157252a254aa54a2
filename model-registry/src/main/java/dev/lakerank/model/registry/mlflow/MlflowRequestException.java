package dev.lakerank.model.registry.mlflow;

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
    super(message, cause);
    this.call = call;
    this.status = status;
    this.errorCode = errorCode;
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
