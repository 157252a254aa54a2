package dev.lakerank.serving.api;

import io.micronaut.context.annotation.Replaces;
import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import io.micronaut.http.server.exceptions.response.ErrorContext;
import io.micronaut.http.server.exceptions.response.ErrorResponseProcessor;
import io.micronaut.validation.exceptions.ConstraintExceptionHandler;
import jakarta.inject.Singleton;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A constraint violation answers 400 naming each field as the JSON names it ({@code item_ids},
 * {@code rows[2].user_id}, {@code k}), not as the Java code does.
 */
@Produces
@Singleton
@Replaces(ConstraintExceptionHandler.class)
@Requires(classes = {ConstraintViolationException.class, ExceptionHandler.class})
public class ProblemHandlers
    implements ExceptionHandler<ConstraintViolationException, HttpResponse<?>> {
  private final ErrorResponseProcessor<?> processor;

  public ProblemHandlers(ErrorResponseProcessor<?> processor) {
    this.processor = processor;
  }

  @Override
  @SuppressWarnings("rawtypes")
  public HttpResponse<?> handle(HttpRequest request, ConstraintViolationException exception) {
    List<String> messages = new ArrayList<>();
    exception.getConstraintViolations().stream()
        .sorted(Comparator.comparing(v -> field(v)))
        .forEach(v -> messages.add(field(v) + ": " + v.getMessage()));
    ErrorContext.Builder context = ErrorContext.builder(request).cause(exception);
    return processor.processResponse(
        context.errorMessages(messages).build(), HttpResponse.badRequest());
  }

  /**
   * The JSON name of the violating field: method and parameter nodes dropped, camelCase to
   * snake_case.
   */
  static String field(ConstraintViolation<?> violation) {
    List<String> parts = new ArrayList<>();
    int depth = 0;
    for (Path.Node node : violation.getPropertyPath()) {
      depth++;
      if (node.getKind() == jakarta.validation.ElementKind.METHOD) {
        continue;
      }
      if (node.getKind() == jakarta.validation.ElementKind.PARAMETER) {
        parts.add(snake(node.getName()));
        continue;
      }
      if (node.getKind() == jakarta.validation.ElementKind.CONTAINER_ELEMENT) {
        if (node.getIndex() != null && !parts.isEmpty()) {
          parts.set(parts.size() - 1, parts.get(parts.size() - 1) + "[" + node.getIndex() + "]");
        }
        continue;
      }
      String name = snake(node.getName());
      if (node.getIndex() != null) {
        name = name + "[" + node.getIndex() + "]";
      }
      parts.add(name);
    }
    // a body's parameter name ("request", "row", "batch") says nothing to a caller: drop it
    if (parts.size() > 1 && depth > 2) {
      parts.remove(0);
    }
    return String.join(".", parts);
  }

  private static String snake(String name) {
    return name == null
        ? ""
        : name.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(java.util.Locale.ROOT);
  }
}
