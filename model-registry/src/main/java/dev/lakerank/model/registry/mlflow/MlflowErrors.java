package dev.lakerank.model.registry.mlflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lakerank.model.registry.RegistryErrors;
import dev.lakerank.model.registry.RegistryException;
import java.io.IOException;
import java.util.List;

/**
 * Every message the MLflow registry gives a user, in one place: what failed, the server's words,
 * what to check.
 */
final class MlflowErrors {
  static final String RESOURCE_DOES_NOT_EXIST = "RESOURCE_DOES_NOT_EXIST";
  static final String RESOURCE_ALREADY_EXISTS = "RESOURCE_ALREADY_EXISTS";

  private static final ObjectMapper JSON = new ObjectMapper();

  private MlflowErrors() {}

  /**
   * The server answered {@code status} with {@code body} (MLflow's {@code {"error_code",
   * "message"}} or anything else).
   */
  static MlflowRequestException answered(
      MlflowRegistrySettings settings, String call, int status, String body) {
    String errorCode = null;
    String message = body == null ? "" : body.strip();
    try {
      JsonNode error = body == null || body.isBlank() ? null : JSON.readTree(body);
      if (error != null && error.isObject() && error.has("error_code")) {
        errorCode = error.path("error_code").asText();
        message = error.path("message").asText();
      }
    } catch (IOException e) {
      // not JSON (a proxy's page, the basic-auth plug-in's text): shown as it is
    }
    if (message.length() > 300) {
      message = message.substring(0, 300) + "...";
    }
    String said =
        "MLflow at "
            + settings.trackingUri()
            + " answered "
            + status
            + (errorCode == null ? "" : " " + errorCode)
            + " to "
            + call
            + (message.isEmpty() ? "" : ": " + message);
    return new MlflowRequestException(
        said + "; " + hint(settings, call, status), call, status, errorCode, null);
  }

  /** The server did not answer: refused, unknown host, timed out, TLS failed. */
  static MlflowRequestException unreachable(
      MlflowRegistrySettings settings, String call, Throwable cause) {
    Throwable root = cause;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String reason =
        root.getClass().getSimpleName()
            + (root.getMessage() == null ? "" : ": " + root.getMessage());
    String check =
        root instanceof javax.net.ssl.SSLException
                || root instanceof java.security.cert.CertificateException
                || reason.contains("PKIX")
            ? "the server's certificate is not trusted: add its CA to the JVM's trust store (-Djavax.net.ssl.trustStore=...), or for a test "
                + "server only set `"
                + settings.settingsPrefix()
                + "insecure-tls` (MLFLOW_TRACKING_INSECURE_TLS)"
            : "is the server running and reachable from here, and is `"
                + settings.settingsPrefix()
                + "tracking-uri` (MLFLOW_TRACKING_URI) right?";
    return new MlflowRequestException(
        "cannot reach MLflow at "
            + settings.trackingUri()
            + " for "
            + call
            + " ("
            + reason
            + "); "
            + check,
        call,
        0,
        null,
        cause);
  }

  private static String hint(MlflowRegistrySettings settings, String call, int status) {
    String prefix = settings.settingsPrefix();
    if (status == 401) {
      return "the server wants credentials: it was sent "
          + settings.credentialsDescription()
          + "; set `"
          + prefix
          + "token` "
          + "(MLFLOW_TRACKING_TOKEN) or `"
          + prefix
          + "username` and `"
          + prefix
          + "password` (MLFLOW_TRACKING_USERNAME, MLFLOW_TRACKING_PASSWORD)";
    }
    if (status == 403) {
      return "the credentials ("
          + settings.credentialsDescription()
          + ") are not allowed to do this: ask the server's admin for "
          + "the permission, or use other credentials";
    }
    if ((status == 404 || status == 503) && call.contains("mlflow-artifacts")) {
      return "the server does not serve artifacts: start it with `mlflow server --serve-artifacts` (the default since MLflow 2.0) "
          + "or check that the file was uploaded";
    }
    if (status == 404) {
      return "is `"
          + prefix
          + "tracking-uri` the MLflow server itself (not its UI behind another path)?";
    }
    if (status >= 500) {
      return "the server failed; see its log, then try again";
    }
    return "this is what Lakerank sent that MLflow refused; if the message is not clear, report it with this line";
  }

  static RegistryException noSuchModel(
      MlflowRegistrySettings settings, String model, List<String> models) {
    return RegistryErrors.notFound(
        "no model `"
            + model
            + "` in MLflow at "
            + settings.trackingUri()
            + (models.isEmpty()
                ? " (it has no Lakerank models: train one with `lakerank train`)"
                : "; Lakerank models there: " + models));
  }

  static RegistryException noSuchVersion(String model, int version, List<Integer> versions) {
    return RegistryErrors.notFound(
        "model `" + model + "` has no version " + version + " in MLflow; versions: " + versions);
  }

  static RegistryException unsupportedArtifacts(MlflowRegistrySettings settings, String location) {
    return RegistryErrors.configuration(
        "the run's artifact location is `"
            + location
            + "`, which Lakerank cannot reach: it uploads and "
            + "downloads through the tracking server's artifact proxy (`mlflow-artifacts:` locations). Start the server with "
            + "`mlflow server --serve-artifacts --artifacts-destination <s3://... or a directory>` and use a new experiment, or set "
            + "`"
            + settings.settingsPrefix()
            + "experiment-prefix` to name one");
  }

  static RegistryException notReady(String model, int version, String status, String message) {
    return RegistryErrors.unavailable(
        "MLflow did not make model `"
            + model
            + "` version "
            + version
            + " ready (status "
            + status
            + (message == null || message.isBlank() ? "" : ": " + message)
            + "); see the model version in the MLflow UI");
  }

  static RegistryException historyNotRecorded(
      String model, String alias, int version, RegistryException cause) {
    return RegistryErrors.conflict(
        "alias `"
            + alias
            + "` of model `"
            + model
            + "` now points to version "
            + version
            + ", but its history was not recorded ("
            + cause.getMessage()
            + "); a later rollback will not see this change",
        cause);
  }
}
