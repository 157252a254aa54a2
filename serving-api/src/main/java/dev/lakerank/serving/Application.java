package dev.lakerank.serving;

import io.micronaut.runtime.Micronaut;
import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.info.Info;

/**
 * Starts the serving API; configuration in {@code application.yml}, overridable by env and system
 * properties.
 */
@OpenAPIDefinition(
    info =
        @Info(
            title = "Lakerank serving API",
            version = "v1",
            description =
                "Recommendations and ranking from the champion models, with online features. "
                    + "Errors are RFC 7807 problem+json bodies."))
public final class Application {
  private Application() {}

  public static void main(String[] args) {
    Micronaut.build(args).mainClass(Application.class).banner(false).start();
  }
}
