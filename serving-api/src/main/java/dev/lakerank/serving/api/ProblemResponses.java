package dev.lakerank.serving.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.context.annotation.Primary;
import io.micronaut.core.annotation.NonNull;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.server.exceptions.response.Error;
import io.micronaut.http.server.exceptions.response.ErrorContext;
import io.micronaut.http.server.exceptions.response.ErrorResponseProcessor;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.inject.Singleton;
import java.util.List;

/**
 * Every error the API answers is an RFC 7807 {@code application/problem+json} body: the status, its
 * title, a detail that names the problem (and the field, for bad input), the path asked for. A 500
 * never carries the exception's text.
 */
@Singleton
@Primary
public class ProblemResponses implements ErrorResponseProcessor<ProblemResponses.Problem> {
  public static final String PROBLEM_JSON = "application/problem+json";

  /** RFC 7807's members, plus {@code errors} when there is more than one. */
  @Serdeable
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Problem(
      String type, String title, int status, String detail, String instance, List<String> errors) {}

  @Override
  @NonNull
  public MutableHttpResponse<Problem> processResponse(
      @NonNull ErrorContext context, @NonNull MutableHttpResponse<?> response) {
    int status = response.code();
    List<String> messages = context.getErrors().stream().map(Error::getMessage).toList();
    String detail;
    if (status >= 500 && status != 503) {
      detail = "an internal error; the server's log has it (this is a bug, please report it)";
      messages = List.of();
    } else if (messages.isEmpty()) {
      detail = response.reason();
    } else {
      detail = String.join("; ", messages);
    }
    Problem problem =
        new Problem(
            "about:blank",
            response.reason(),
            status,
            detail,
            context.getRequest().getPath(),
            messages.size() > 1 ? messages : null);
    if (context.getRequest().getMethod() == HttpMethod.HEAD) {
      return response.contentType(PROBLEM_JSON).body(null);
    }
    return response.contentType(PROBLEM_JSON).body(problem);
  }
}
