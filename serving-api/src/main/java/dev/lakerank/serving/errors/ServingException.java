package dev.lakerank.serving.errors;

import dev.lakerank.contract.errors.ErrorCategory;
import io.micronaut.http.exceptions.HttpStatusException;

/**
 * A request the API cannot answer as asked, with the category that picks its status; answered as an
 * RFC 7807 problem body. Made by {@link ServingErrors}.
 */
public final class ServingException extends HttpStatusException {
  private static final long serialVersionUID = 1L;

  private final ErrorCategory category;

  ServingException(ErrorCategory category, String message, Throwable cause) {
    super(ServingErrors.status(category), message);
    this.category = category;
    if (cause != null) {
      initCause(cause);
    }
  }

  public ErrorCategory category() {
    return category;
  }
}
