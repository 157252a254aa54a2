package dev.lakerank.model.registry.mlflow;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.Map;
import java.util.StringJoiner;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;
import org.mlflow.tracking.MlflowClient;
import org.mlflow.tracking.MlflowClientException;
import org.mlflow.tracking.MlflowHttpException;
import org.mlflow.tracking.creds.BasicMlflowHostCreds;

/**
 * The two ways Lakerank talks to MLflow, with one error translation:
 *
 * <ul>
 *   <li>{@code org.mlflow:mlflow-client} for the REST API under {@code /api/2.0/mlflow/}: its typed
 *       calls (experiments, runs, logBatch, model version search) and its {@code sendGet}/{@code
 *       sendPost} for the registry calls it does not wrap. It sends the credentials given here;
 *       every HTTP error except 429 is retried twice at once (MlflowHttpCaller, 3 attempts, POSTs
 *       included), which {@link MlflowModelRegistry} makes harmless.
 *   <li>{@code java.net.http} for what the client would do through a Python CLI or not at all: the
 *       artifact proxy ({@code PUT}/{@code GET /api/2.0/mlflow-artifacts/artifacts/<path>}) and the
 *       {@code DELETE} endpoints; one attempt each, with the timeout of the settings.
 * </ul>
 */
final class MlflowConnection implements AutoCloseable {
  static final ObjectMapper JSON =
      new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
  private static final String ARTIFACTS = "/api/2.0/mlflow-artifacts/artifacts/";
  private static final String API = "/api/2.0/mlflow/";

  private final MlflowRegistrySettings settings;
  private final MlflowClient client;
  private final HttpClient http;

  MlflowConnection(MlflowRegistrySettings settings) {
    this.settings = settings;
    String host = settings.trackingUri().toString();
    this.client =
        new MlflowClient(
            new BasicMlflowHostCreds(
                host,
                settings.username(),
                settings.password(),
                settings.token(),
                settings.insecureTls()));
    HttpClient.Builder builder =
        HttpClient.newBuilder()
            .connectTimeout(settings.timeout())
            .followRedirects(HttpClient.Redirect.NORMAL);
    if (settings.insecureTls()) {
      builder.sslContext(trustingEverything());
    }
    this.http = builder.build();
  }

  MlflowRegistrySettings settings() {
    return settings;
  }

  /**
   * A typed call of mlflow-client, its failures translated; {@code call} names it for messages
   * ({@code POST runs/create}).
   */
  <T> T client(String call, java.util.function.Function<MlflowClient, T> action) {
    try {
      return action.apply(client);
    } catch (MlflowHttpException e) {
      throw MlflowErrors.answered(settings, call, e.getStatusCode(), e.getBodyMessage());
    } catch (MlflowClientException e) {
      throw MlflowErrors.unreachable(settings, call, e.getCause() == null ? e : e.getCause());
    }
  }

  /** {@code GET /api/2.0/mlflow/<endpoint>?query} through the client. */
  JsonNode get(String endpoint, Map<String, String> query) {
    StringJoiner parameters = new StringJoiner("&", "?", "").setEmptyValue("");
    query.forEach((key, value) -> parameters.add(encode(key) + "=" + encode(value)));
    String body = client("GET " + endpoint, c -> c.sendGet(endpoint + parameters));
    return parse("GET " + endpoint, body);
  }

  /** {@code POST /api/2.0/mlflow/<endpoint>} with a JSON body, through the client. */
  JsonNode post(String endpoint, Object body) {
    String json = write(body);
    return parse("POST " + endpoint, client("POST " + endpoint, c -> c.sendPost(endpoint, json)));
  }

  /** {@code DELETE /api/2.0/mlflow/<endpoint>} with a JSON body (the client has no DELETE). */
  void delete(String endpoint, Object body) {
    HttpRequest request =
        request(URI.create(settings.trackingUri() + API + endpoint))
            .header("Content-Type", "application/json")
            .method("DELETE", HttpRequest.BodyPublishers.ofString(write(body)))
            .build();
    send("DELETE " + endpoint, request, HttpResponse.BodyHandlers.ofString());
  }

  /**
   * Uploads one file to the artifact proxy at {@code path} (relative to the artifact root, {@code
   * 1/<run>/artifacts/bundle/x}).
   */
  void upload(String path, Path file) {
    HttpRequest request;
    try {
      request =
          request(artifactUri(path))
              .header("Content-Type", "application/octet-stream")
              .PUT(HttpRequest.BodyPublishers.ofFile(file))
              .build();
    } catch (java.io.FileNotFoundException e) {
      throw new java.io.UncheckedIOException(
          "bundle file " + file + " vanished before its upload", e);
    }
    send("PUT " + ARTIFACTS.substring(1) + path, request, HttpResponse.BodyHandlers.ofString());
  }

  /** Downloads one artifact to {@code target}, through a temporary file beside it. */
  void download(String path, Path target) {
    HttpRequest request = request(artifactUri(path)).GET().build();
    String call = "GET " + ARTIFACTS.substring(1) + path;
    HttpResponse<InputStream> response =
        send(call, request, HttpResponse.BodyHandlers.ofInputStream());
    try (InputStream in = response.body()) {
      Files.createDirectories(target.getParent());
      Path partial = target.resolveSibling(target.getFileName() + ".partial");
      Files.copy(in, partial, StandardCopyOption.REPLACE_EXISTING);
      Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw MlflowErrors.unreachable(settings, call, e);
    }
  }

  private <T> HttpResponse<T> send(
      String call, HttpRequest request, HttpResponse.BodyHandler<T> handler) {
    HttpResponse<T> response;
    try {
      response = http.send(request, handler);
    } catch (IOException e) {
      throw MlflowErrors.unreachable(settings, call, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw MlflowErrors.unreachable(settings, call, e);
    }
    if (response.statusCode() >= 300) {
      throw MlflowErrors.answered(settings, call, response.statusCode(), text(response.body()));
    }
    return response;
  }

  private static String text(Object body) {
    if (body instanceof InputStream in) {
      try (in) {
        return new String(in.readNBytes(4096), StandardCharsets.UTF_8);
      } catch (IOException e) {
        return "";
      }
    }
    return body == null ? "" : body.toString();
  }

  private HttpRequest.Builder request(URI uri) {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(uri).timeout(settings.timeout()).header("User-Agent", "lakerank");
    String authorization = settings.authorization();
    if (authorization != null) {
      builder.header("Authorization", authorization);
    }
    return builder;
  }

  private URI artifactUri(String path) {
    StringJoiner encoded = new StringJoiner("/");
    for (String segment : path.split("/")) {
      encoded.add(encode(segment));
    }
    return URI.create(settings.trackingUri() + ARTIFACTS + encoded);
  }

  private JsonNode parse(String call, String body) {
    try {
      return body == null || body.isBlank() ? JSON.createObjectNode() : JSON.readTree(body);
    } catch (IOException e) {
      throw MlflowErrors.answered(settings, call, 200, "an answer that is not JSON: " + body);
    }
  }

  private static String write(Object body) {
    try {
      return JSON.writeValueAsString(body);
    } catch (IOException e) {
      throw new IllegalStateException("cannot write a request body", e);
    }
  }

  private static String encode(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /**
   * MLFLOW_TRACKING_INSECURE_TLS's meaning: any certificate, any host name (the check is the trust
   * manager's).
   */
  private static SSLContext trustingEverything() {
    TrustManager everything =
        new X509ExtendedTrustManager() {
          @Override
          public void checkClientTrusted(X509Certificate[] chain, String authType) {}

          @Override
          public void checkServerTrusted(X509Certificate[] chain, String authType) {}

          @Override
          public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {}

          @Override
          public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {}

          @Override
          public void checkClientTrusted(
              X509Certificate[] chain, String authType, SSLEngine engine) {}

          @Override
          public void checkServerTrusted(
              X509Certificate[] chain, String authType, SSLEngine engine) {}

          @Override
          public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
          }
        };
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, new TrustManager[] {everything}, null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot build the TLS context of insecure-tls", e);
    }
  }

  @Override
  public void close() {
    client.close();
  }
}
