package dev.lakerank.serving;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lakerank.featurestore.errors.FeatureStoreErrors;
import dev.lakerank.model.bundle.BundleErrors;
import dev.lakerank.model.registry.RegistryErrors;
import dev.lakerank.serving.testing.Api;
import dev.lakerank.serving.testing.ServingFixture;
import io.micronaut.context.ApplicationContext;
import io.micronaut.context.annotation.Requires;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.runtime.server.EmbeddedServer;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A library's user-facing error that reaches a request answers with its category's status and
 * message in a problem body, never a 500: the registry's not-found is 404, a bad bundle 400, the
 * online store down 503.
 */
class CategorizedErrorsTest {
  @TempDir Path directory;

  /** A stand-in for a service call that fails inside a library. */
  @Controller("/test/fail")
  @Requires(property = "test.categorized-errors", value = "true")
  static class Failing {
    @Get("/{kind}")
    String fail(@PathVariable String kind) {
      throw switch (kind) {
        case "registry" -> RegistryErrors.notFound("model `ranker` has no version 9");
        case "bundle" -> BundleErrors.invalid("checksum mismatch for bundle file scorer.json");
        default -> FeatureStoreErrors.storeUnavailable("the Redis online store does not answer");
      };
    }
  }

  @Test
  void aLibrarysErrorAnswersWithItsCategorysStatus() throws Exception {
    Map<String, Object> properties = ServingFixture.create(directory, "sqlite").properties();
    properties.put("test.categorized-errors", "true");
    try (EmbeddedServer server = ApplicationContext.run(EmbeddedServer.class, properties)) {
      Api api = new Api(server.getURL());
      assertProblem(api.get("/test/fail/registry"), 404, "model `ranker` has no version 9");
      assertProblem(api.get("/test/fail/bundle"), 400, "checksum mismatch");
      assertProblem(api.get("/test/fail/store"), 503, "does not answer");
    }
  }

  private static void assertProblem(Api.Answer answer, int status, String detail) {
    assertThat(answer.status()).as(answer.text()).isEqualTo(status);
    assertThat(answer.contentType()).startsWith("application/problem+json");
    JsonNode body = answer.json();
    assertThat(body.path("status").asInt()).isEqualTo(status);
    assertThat(body.path("detail").asText()).contains(detail);
  }
}
