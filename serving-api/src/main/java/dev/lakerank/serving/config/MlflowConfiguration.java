package dev.lakerank.serving.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;

/**
 * {@code lakerank.registry.mlflow.*} (the jobs' {@code registry.mlflow.*}): the MLflow tracking
 * server of {@code lakerank.registry.type: mlflow}. {@code application.yml} reads the server and
 * its secrets from MLflow's own variables (MLFLOW_TRACKING_URI, MLFLOW_TRACKING_TOKEN, ...).
 *
 * @param trackingUri the tracking server, {@code http(s)://host:port}
 * @param token a bearer token (a Databricks personal access token)
 * @param username basic authentication, with {@code password}
 * @param insecureTls accept any certificate and host name (test servers only)
 * @param experimentPrefix the experiments' prefix; the serving API reads no runs, but messages name
 *     the experiment
 * @param cache where downloaded bundles are kept, verified
 * @param timeout connect and read timeout of the artifact downloads
 */
@ConfigurationProperties("lakerank.registry.mlflow")
public record MlflowConfiguration(
    @Nullable String trackingUri,
    @Nullable String token,
    @Nullable String username,
    @Nullable String password,
    @Bindable(defaultValue = "false") boolean insecureTls,
    @Bindable(defaultValue = "lakerank-") @NotNull String experimentPrefix,
    @Bindable(defaultValue = "mlflow-cache") @NotBlank String cache,
    @Bindable(defaultValue = "60s") @NotNull Duration timeout) {
  /** The prefix of these settings, as messages name them. */
  public static final String PREFIX = "lakerank.registry.mlflow.";

  @Override
  public String toString() {
    // never the secrets
    return "MlflowConfiguration[trackingUri="
        + trackingUri
        + ", token="
        + (token == null || token.isEmpty() ? "unset" : "(hidden)")
        + ", username="
        + username
        + ", password="
        + (password == null || password.isEmpty() ? "unset" : "(hidden)")
        + ", insecureTls="
        + insecureTls
        + ", cache="
        + cache
        + ", timeout="
        + timeout
        + "]";
  }
}
