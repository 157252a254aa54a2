package dev.lakerank.serving.models;

import dev.lakerank.model.registry.LocalModelRegistry;
import dev.lakerank.model.registry.ModelRegistry;
import dev.lakerank.model.registry.RegistryException;
import dev.lakerank.model.registry.mlflow.MlflowModelRegistry;
import dev.lakerank.model.registry.mlflow.MlflowRegistrySettings;
import dev.lakerank.serving.ServingSettings;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;
import java.nio.file.Path;
import java.time.Clock;

/**
 * The registry {@code lakerank.registry.type} names: the local directory, or MLflow; closed with
 * the application.
 */
@Factory
public class RegistryFactory {
  @Singleton
  @Bean(preDestroy = "close")
  ModelRegistry registry(
      RegistrySettings registry, RegistrySettings.Mlflow mlflow, ServingSettings serving) {
    return switch (registry.getType()) {
      case "local" -> new LocalModelRegistry(Path.of(serving.getRegistry()), Clock.systemUTC());
      case "mlflow" ->
          new MlflowModelRegistry(
              MlflowRegistrySettings.of(
                  "lakerank.registry.mlflow.",
                  mlflow.getTrackingUri(),
                  mlflow.getToken(),
                  mlflow.getUsername(),
                  mlflow.getPassword(),
                  mlflow.isInsecureTls(),
                  mlflow.getExperimentPrefix(),
                  Path.of(mlflow.getCache()),
                  mlflow.getTimeout()),
              Clock.systemUTC());
      default ->
          throw new RegistryException(
              "setting `lakerank.registry.type` is `"
                  + registry.getType()
                  + "`: write `local` (the directory lakerank.serving.registry) or `mlflow` (with lakerank.registry.mlflow.tracking-uri)");
    };
  }
}
