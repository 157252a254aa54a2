package dev.lakerank.serving.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.NotNull;

/**
 * {@code lakerank.registry.*}: which model registry the champions come from: the directory {@code
 * lakerank.serving.registry}, or an MLflow tracking server ({@link MlflowConfiguration}).
 */
@ConfigurationProperties("lakerank.registry")
public record RegistryConfiguration(@Bindable(defaultValue = "local") @NotNull RegistryType type) {}
