package dev.lakerank.serving.models;

import dev.lakerank.model.registry.LocalModelRegistry;
import dev.lakerank.model.registry.ModelRegistry;
import dev.lakerank.model.registry.mlflow.MlflowModelRegistry;
import dev.lakerank.model.registry.mlflow.MlflowRegistrySettings;
import dev.lakerank.serving.config.MlflowConfiguration;
import dev.lakerank.serving.config.RegistryConfiguration;
import dev.lakerank.serving.config.ServingConfiguration;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;
import java.nio.file.Path;
import java.time.Clock;

/** Builds the configured {@link ModelRegistry}: the local directory or an MLflow server. */
@Factory
public class RegistryFactory {
  @Singleton
  @Bean(preDestroy = "close")
  ModelRegistry registry(
      RegistryConfiguration registry,
      MlflowConfiguration mlflow,
      ServingConfiguration serving,
      Clock clock) {
    return switch (registry.type()) {
      case LOCAL -> new LocalModelRegistry(Path.of(serving.registry()), clock);
      case MLFLOW ->
          new MlflowModelRegistry(
              MlflowRegistrySettings.of(
                  MlflowConfiguration.PREFIX,
                  mlflow.trackingUri(),
                  mlflow.token(),
                  mlflow.username(),
                  mlflow.password(),
                  mlflow.insecureTls(),
                  mlflow.experimentPrefix(),
                  Path.of(mlflow.cache()),
                  mlflow.timeout()),
              clock);
    };
  }
}
