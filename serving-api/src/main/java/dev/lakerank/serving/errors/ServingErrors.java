package dev.lakerank.serving.errors;

import dev.lakerank.contract.errors.ErrorCategory;
import io.micronaut.http.HttpStatus;

/**
 * The one place the serving API makes its user-facing errors, and the one map from an error's
 * category to the status it answers with (for its own errors and for those of the libraries, see
 * {@code api.CategorizedErrorHandler}). A 500 is a bug; a dependency that fails answers 503.
 */
public final class ServingErrors {
  private ServingErrors() {}

  /** The HTTP status of a category. */
  public static HttpStatus status(ErrorCategory category) {
    return switch (category) {
      case INVALID_INPUT -> HttpStatus.BAD_REQUEST;
      case NOT_FOUND -> HttpStatus.NOT_FOUND;
      case CONFLICT -> HttpStatus.CONFLICT;
      case UNAUTHENTICATED -> HttpStatus.UNAUTHORIZED;
      case PERMISSION_DENIED -> HttpStatus.FORBIDDEN;
      // a setting the service started with cannot be fixed by the caller: the service cannot
      // answer, which is what 503 says
      case CONFIGURATION, UNAVAILABLE -> HttpStatus.SERVICE_UNAVAILABLE;
    };
  }

  /** A request that names a bad value: 400, naming it. */
  public static ServingException invalidRequest(String message) {
    return new ServingException(ErrorCategory.INVALID_INPUT, message, null);
  }

  /** Something the request names that the API does not have: 404. */
  public static ServingException notFound(String message) {
    return new ServingException(ErrorCategory.NOT_FOUND, message, null);
  }

  /** No champion is loaded yet: 503, with why. */
  public static ServingException modelsNotReady(String message) {
    return new ServingException(ErrorCategory.UNAVAILABLE, message, null);
  }

  /** The online store or feature server did not answer: 503, since ranking needs the features. */
  public static ServingException featuresUnavailable(String message, Throwable cause) {
    return new ServingException(ErrorCategory.UNAVAILABLE, message, cause);
  }

  /** No credential, or a wrong one: 401. */
  public static ServingException unauthenticated(String message) {
    return new ServingException(ErrorCategory.UNAUTHENTICATED, message, null);
  }

  /** A caller not allowed to do this: 403. */
  public static ServingException forbidden(String message) {
    return new ServingException(ErrorCategory.PERMISSION_DENIED, message, null);
  }
}
