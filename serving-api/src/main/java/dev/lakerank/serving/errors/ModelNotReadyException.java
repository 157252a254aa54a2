package dev.lakerank.serving.errors;

import io.micronaut.http.HttpStatus;
import io.micronaut.http.exceptions.HttpStatusException;

/** No champion is loaded yet: 503, with why. */
public final class ModelNotReadyException extends HttpStatusException {
  private static final long serialVersionUID = 1L;

  public ModelNotReadyException(String message) {
    super(HttpStatus.SERVICE_UNAVAILABLE, message);
  }
}
