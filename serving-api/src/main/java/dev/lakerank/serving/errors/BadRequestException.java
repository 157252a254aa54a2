package dev.lakerank.serving.errors;

import io.micronaut.http.HttpStatus;
import io.micronaut.http.exceptions.HttpStatusException;

/** A request the API cannot take: 400 with this message, which names the field and the fix. */
public final class BadRequestException extends HttpStatusException {
  private static final long serialVersionUID = 1L;

  public BadRequestException(String message) {
    super(HttpStatus.BAD_REQUEST, message);
  }
}
