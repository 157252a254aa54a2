package dev.lakerank.serving.errors;

import io.micronaut.http.HttpStatus;
import io.micronaut.http.exceptions.HttpStatusException;

/** The online store or feature server did not answer: 503, since ranking needs the features. */
public final class FeatureSourceException extends HttpStatusException {
  private static final long serialVersionUID = 1L;

  public FeatureSourceException(String message, Throwable cause) {
    super(HttpStatus.SERVICE_UNAVAILABLE, message);
    initCause(cause);
  }
}
