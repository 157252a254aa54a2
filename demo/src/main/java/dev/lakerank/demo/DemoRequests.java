package dev.lakerank.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;

/**
 * The demo's tour of a running API: waits until it is ready, then makes a few calls and prints each
 * with its curl equivalent and the answer. {@code bin/lakerank demo} runs it after the pipeline;
 * {@code java -cp <jobs classpath> dev.lakerank.demo.DemoRequests http://127.0.0.1:8080} runs it
 * against any API.
 */
public final class DemoRequests {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_LINES = 24;

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final String base;
  private final PrintStream out;

  DemoRequests(String base, PrintStream out) {
    this.base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    this.out = out;
  }

  public static void main(String[] args) throws Exception {
    if (args.length != 1 || args[0].startsWith("-")) {
      System.err.println("usage: DemoRequests <base url, such as http://127.0.0.1:8080>");
      System.exit(2);
    }
    DemoRequests demo = new DemoRequests(args[0], System.out);
    if (!demo.awaitReady(Duration.ofSeconds(90))) {
      System.err.println(
          "the serving API at " + args[0] + " did not become ready in 90 s; see its log above");
      System.exit(1);
    }
    demo.tour();
  }

  boolean awaitReady(Duration timeout) throws InterruptedException {
    Instant deadline = Instant.now().plus(timeout);
    while (Instant.now().isBefore(deadline)) {
      try {
        if (send("GET", "/health/readiness", null).statusCode() == 200) {
          return true;
        }
      } catch (IOException e) {
        // not listening yet
      }
      Thread.sleep(250);
    }
    return false;
  }

  void tour() throws IOException, InterruptedException {
    out.println();
    out.println("== serving API at " + base + " (Ctrl-C stops it)");
    JsonNode models = show("the champions it loaded", "GET", "/v1/models", null);
    JsonNode recommended =
        show(
            "top 5 for user 1: ALS candidates, online features, ranker scores",
            "GET",
            "/v1/recommendations/1?k=5",
            null);
    show(
        "a user ALS never saw gets popular items, flagged as fallback",
        "GET",
        "/v1/recommendations/999999999?k=3",
        null);
    StringBuilder items = new StringBuilder();
    for (JsonNode item : recommended.path("items")) {
      items.append(items.length() == 0 ? "" : ",").append(item.path("item_id").asLong());
    }
    show(
        "rank a feed of items for the user, with context",
        "POST",
        "/v1/rank",
        "{\"user_id\":1,\"item_ids\":["
            + items
            + (items.length() == 0 ? "" : ",")
            + "1,2,3],\"context\":{\"device\":\"ios\"}}");
    show(
        "one explicit row: features given win, the others are read online",
        "POST",
        "/v1/predict",
        "{\"user_id\":1,\"item_id\":2,\"features\":{\"device\":\"android\"}}");
    String requestId = recommended.path("request_id").asText("unknown");
    long clicked = recommended.path("items").path(0).path("item_id").asLong(1);
    show(
        "the user clicked the first item: feedback for monitoring and training",
        "POST",
        "/v1/feedback",
        "{\"request_id\":\"" + requestId + "\",\"item_id\":" + clicked + ",\"event\":\"click\"}");
    show(
        "bad input answers 400 with an RFC 7807 body naming the field",
        "GET",
        "/v1/recommendations/1?k=0",
        null);
    out.println();
    out.println("== more");
    out.println("  " + base + "/swagger-ui/index.html   the OpenAPI document, browsable");
    out.println(
        "  curl -s "
            + base
            + "/prometheus | grep lakerank_   latency histograms, feature misses, fallbacks");
    out.println("  curl -s " + base + "/health/readiness");
    out.println(
        "  answers and feedback are logged to the serving database (./serving-db, H2), and with --kafka to the");
    out.println(
        "  topics predictions and feedback, which `lakerank stream logs` reads into ml.prediction_log and ml.feedback");
    if (!models.path("ready").asBoolean()) {
      out.println("  (not ready: " + models + ")");
    }
  }

  private JsonNode show(String what, String method, String path, String body)
      throws IOException, InterruptedException {
    out.println();
    out.println("-- " + what);
    out.println(
        "$ curl -s "
            + (method.equals("GET")
                ? ""
                : "-X " + method + " -H 'Content-Type: application/json' -d '" + body + "' ")
            + "'"
            + base
            + path
            + "'");
    HttpResponse<String> response = send(method, path, body);
    JsonNode json;
    try {
      json = JSON.readTree(response.body());
    } catch (IOException e) {
      out.println(response.statusCode() + " " + response.body());
      return JSON.createObjectNode();
    }
    String[] lines = JSON.writerWithDefaultPrettyPrinter().writeValueAsString(json).split("\n");
    out.println("HTTP " + response.statusCode());
    for (int i = 0; i < Math.min(lines.length, MAX_LINES); i++) {
      out.println(lines[i]);
    }
    if (lines.length > MAX_LINES) {
      out.println("  ... " + (lines.length - MAX_LINES) + " more lines");
    }
    return json;
  }

  private HttpResponse<String> send(String method, String path, String body)
      throws IOException, InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10));
    if (body == null) {
      request.method(method, HttpRequest.BodyPublishers.noBody());
    } else {
      request
          .header("Content-Type", "application/json")
          .method(method, HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
  }
}
