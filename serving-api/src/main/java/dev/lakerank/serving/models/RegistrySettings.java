package dev.lakerank.serving.models;

import io.micronaut.context.annotation.ConfigurationProperties;
import java.time.Duration;

/**
 * {@code lakerank.registry.*}: which model registry the champions come from. {@code type: local}
 * (default) reads the directory {@code lakerank.serving.registry}; {@code type: mlflow} an MLflow
 * tracking server ({@code lakerank.registry.mlflow.*}, the jobs' {@code registry.mlflow.*}), whose
 * secrets {@code application.yml} reads from MLflow's own variables (MLFLOW_TRACKING_TOKEN, ...).
 *
 * <p>Mutable for Micronaut's binding; read only after start.
 */
@ConfigurationProperties("lakerank.registry")
public class RegistrySettings {
  private String type = "local";

  /** {@code local} or {@code mlflow}. */
  public String getType() {
    return type;
  }

  public void setType(String type) {
    this.type = type;
  }

  /** {@code lakerank.registry.mlflow.*}. */
  @ConfigurationProperties("mlflow")
  public static class Mlflow {
    private String trackingUri;
    private String token;
    private String username;
    private String password;
    private boolean insecureTls;
    private String experimentPrefix = "lakerank-";
    private String cache = "mlflow-cache";
    private Duration timeout = Duration.ofSeconds(60);

    /** The tracking server, {@code http(s)://host:port}. */
    public String getTrackingUri() {
      return trackingUri;
    }

    public void setTrackingUri(String trackingUri) {
      this.trackingUri = trackingUri;
    }

    /** Bearer token (a Databricks personal access token). */
    public String getToken() {
      return token;
    }

    public void setToken(String token) {
      this.token = token;
    }

    /** Basic authentication user, with {@link #getPassword()}. */
    public String getUsername() {
      return username;
    }

    public void setUsername(String username) {
      this.username = username;
    }

    public String getPassword() {
      return password;
    }

    public void setPassword(String password) {
      this.password = password;
    }

    /** Accept any certificate and host name (test servers only). */
    public boolean isInsecureTls() {
      return insecureTls;
    }

    public void setInsecureTls(boolean insecureTls) {
      this.insecureTls = insecureTls;
    }

    /** The experiments' prefix; the serving API reads no runs, but messages name the experiment. */
    public String getExperimentPrefix() {
      return experimentPrefix;
    }

    public void setExperimentPrefix(String experimentPrefix) {
      this.experimentPrefix = experimentPrefix;
    }

    /** Where downloaded bundles are kept, verified. */
    public String getCache() {
      return cache;
    }

    public void setCache(String cache) {
      this.cache = cache;
    }

    /** Connect and read timeout of the artifact downloads. */
    public Duration getTimeout() {
      return timeout;
    }

    public void setTimeout(Duration timeout) {
      this.timeout = timeout;
    }
  }
}
