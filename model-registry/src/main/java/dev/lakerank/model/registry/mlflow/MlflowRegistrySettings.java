package dev.lakerank.model.registry.mlflow;

import dev.lakerank.model.registry.RegistryErrors;
import dev.lakerank.model.registry.RegistryException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How to reach an MLflow tracking server and its model registry, and where downloaded bundles are
 * kept. Built at the edge from the CLI's {@code registry.mlflow.*} settings or the serving API's
 * {@code lakerank.registry.mlflow.*}; {@link #of} checks the text values and names the setting in
 * its message.
 *
 * @param trackingUri the server, {@code http(s)://host[:port][/path]}, as {@code
 *     MLFLOW_TRACKING_URI}
 * @param token a bearer token ({@code MLFLOW_TRACKING_TOKEN}; a Databricks personal access token),
 *     or null
 * @param username with {@code password}, HTTP basic authentication ({@code
 *     MLFLOW_TRACKING_USERNAME}), or null
 * @param password the basic authentication password ({@code MLFLOW_TRACKING_PASSWORD}), or null
 * @param insecureTls accept any certificate and host name ({@code MLFLOW_TRACKING_INSECURE_TLS});
 *     tests only
 * @param experimentPrefix prepended to the model name to name its experiment ({@code
 *     lakerank-ranker}); on Databricks a workspace path such as {@code
 *     /Users/me@example.com/lakerank-}
 * @param cache where bundles are downloaded, one directory per server, model and version
 * @param timeout connect and read timeout of the artifact transfers and deletes
 * @param settingsPrefix how the settings are named where they were read ({@code registry.mlflow.}),
 *     so that messages name the one to change
 */
public record MlflowRegistrySettings(
    URI trackingUri,
    String token,
    String username,
    String password,
    boolean insecureTls,
    String experimentPrefix,
    Path cache,
    Duration timeout,
    String settingsPrefix) {

  public MlflowRegistrySettings {
    Objects.requireNonNull(trackingUri, "trackingUri");
    Objects.requireNonNull(experimentPrefix, "experimentPrefix");
    Objects.requireNonNull(cache, "cache");
    Objects.requireNonNull(timeout, "timeout");
    Objects.requireNonNull(settingsPrefix, "settingsPrefix");
    token = blankToNull(token);
    username = blankToNull(username);
    password = blankToNull(password);
    if (!"http".equals(trackingUri.getScheme()) && !"https".equals(trackingUri.getScheme())) {
      throw invalid(
          settingsPrefix + "tracking-uri",
          trackingUri.toString(),
          "it must be an http:// or https:// URL of an MLflow tracking server, such as http://127.0.0.1:5000 "
              + "(for Databricks, https://<workspace>.cloud.databricks.com with a token)");
    }
    if (trackingUri.getHost() == null) {
      throw invalid(settingsPrefix + "tracking-uri", trackingUri.toString(), "it has no host name");
    }
    if ((username == null) != (password == null)) {
      throw RegistryErrors.configuration(
          "MLflow basic authentication needs both `"
              + settingsPrefix
              + "username` and `"
              + settingsPrefix
              + "password` (or MLFLOW_TRACKING_USERNAME and MLFLOW_TRACKING_PASSWORD); only "
              + (username == null ? "the password" : "the user name")
              + " is set");
    }
    if (token != null && username != null) {
      throw RegistryErrors.configuration(
          "MLflow credentials are set twice: a token (`"
              + settingsPrefix
              + "token`) and a user name and "
              + "password (`"
              + settingsPrefix
              + "username`); keep one");
    }
    if (experimentPrefix.contains("'") || experimentPrefix.contains("\\")) {
      throw invalid(
          settingsPrefix + "experiment-prefix",
          experimentPrefix,
          "it may not hold a quote or a backslash (MLflow's search "
              + "filters quote experiment names)");
    }
    if (timeout.isNegative() || timeout.isZero()) {
      throw invalid(settingsPrefix + "timeout", timeout.toString(), "it must be positive");
    }
  }

  /**
   * Reads the settings from text, refusing a bad value with the setting's name and the fix.
   *
   * @param trackingUri empty or null when unset: refused, since an MLflow registry needs a server
   */
  public static MlflowRegistrySettings of(
      String settingsPrefix,
      String trackingUri,
      String token,
      String username,
      String password,
      boolean insecureTls,
      String experimentPrefix,
      Path cache,
      Duration timeout) {
    if (trackingUri == null || trackingUri.isBlank()) {
      throw RegistryErrors.configuration(
          "the MLflow registry needs a tracking server: set `"
              + settingsPrefix
              + "tracking-uri` "
              + "(or MLFLOW_TRACKING_URI) to its URL, such as http://127.0.0.1:5000");
    }
    URI uri;
    try {
      uri = new URI(trackingUri.strip().replaceAll("/+$", ""));
    } catch (URISyntaxException e) {
      throw invalid(
          settingsPrefix + "tracking-uri", trackingUri, "it is not a URL (" + e.getReason() + ")");
    }
    return new MlflowRegistrySettings(
        uri,
        token,
        username,
        password,
        insecureTls,
        experimentPrefix == null ? "" : experimentPrefix,
        cache,
        timeout,
        settingsPrefix);
  }

  /** The {@code Authorization} header these credentials send, or null for none. */
  String authorization() {
    if (username != null) {
      return "Basic "
          + java.util.Base64.getEncoder()
              .encodeToString(
                  (username + ":" + password).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
    return token == null ? null : "Bearer " + token;
  }

  /** What credentials are configured, without them. */
  String credentialsDescription() {
    return username != null
        ? "basic authentication as `" + username + "`"
        : token != null ? "a bearer token" : "no credentials";
  }

  @Override
  public String toString() {
    return "MlflowRegistrySettings[trackingUri="
        + trackingUri
        + ", "
        + credentialsDescription()
        + ", insecureTls="
        + insecureTls
        + ", experimentPrefix="
        + experimentPrefix
        + ", cache="
        + cache
        + ", timeout="
        + timeout
        + "]";
  }

  private static RegistryException invalid(String key, String value, String why) {
    return RegistryErrors.configuration("setting `" + key + "` is `" + value + "`: " + why);
  }

  private static String blankToNull(String text) {
    return text == null || text.isBlank() ? null : text;
  }
}
