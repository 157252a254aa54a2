package dev.lakerank.serving.api;

import dev.lakerank.contract.errors.CategorizedException;
import dev.lakerank.serving.errors.ServingErrors;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import io.micronaut.http.server.exceptions.response.ErrorContext;
import io.micronaut.http.server.exceptions.response.ErrorResponseProcessor;
import jakarta.inject.Singleton;

/**
 * A library's user-facing error that reaches a request (a bundle, a feature definition, the
 * registry, the online store) answers with its category's status and message, as the API's own
 * errors do, instead of a 500.
 */
@Produces
@Singleton
public class CategorizedErrorHandler
    implements ExceptionHandler<CategorizedException, HttpResponse<?>> {
  private final ErrorResponseProcessor<?> processor;

  public CategorizedErrorHandler(ErrorResponseProcessor<?> processor) {
    this.processor = processor;
  }

  @Override
  @SuppressWarnings("rawtypes")
  public HttpResponse<?> handle(HttpRequest request, CategorizedException exception) {
    return processor.processResponse(
        ErrorContext.builder(request).cause(exception).errorMessage(exception.getMessage()).build(),
        HttpResponse.status(ServingErrors.status(exception.category())));
  }
}
