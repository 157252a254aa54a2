package dev.lakerank.model.registry.mlflow.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An MLflow tracking server and model registry in the test JVM, with the artifact proxy of {@code
 * mlflow server --serve-artifacts}: exactly the endpoints Lakerank calls, in memory. Request and
 * answer bodies follow MLflow's protos ({@code mlflow/protos/service.proto}, {@code
 * model_registry.proto}, {@code mlflow_artifacts.proto}) and REST API documentation: snake_case
 * fields, int64 accepted as JSON numbers or strings (the Java client's protobuf printer sends
 * strings), errors as {@code {"error_code": "RESOURCE_DOES_NOT_EXIST", "message": ...}} with
 * MLflow's status codes (404 not found, 400 already exists or invalid, 401 without credentials).
 *
 * <pre>{@code
 * try (MlflowTestServer mlflow = MlflowTestServer.start()) {
 *   mlflow.requireToken("secret");
 *   mlflow.failNext("POST model-versions/create", 1, 500, "INTERNAL_ERROR", true);  // applied, answer lost
 *   ... new MlflowModelRegistry(settings(mlflow.uri()), clock) ...
 *   assertThat(mlflow.versions("ranker")).hasSize(1);
 * }
 * }</pre>
 *
 * <p>Filters: conditions {@code name = '...'}, {@code run_id = '...'} and {@code tags.<key> =
 * '...'} (key optionally in backticks), joined by {@code and}, as MLflow's search syntax writes
 * them.
 */
public final class MlflowTestServer implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String API = "/api/2.0/mlflow/";
  private static final String ARTIFACTS = "/api/2.0/mlflow-artifacts/artifacts/";

  /** One logged metric value. */
  public record MetricPoint(String key, double value, long timestamp, long step) {}

  /** An experiment as the server holds it. */
  public record ExperimentView(
      String id, String name, String artifactLocation, Map<String, String> tags) {}

  /** A run as the server holds it. */
  public record RunView(
      String id,
      String experimentId,
      String name,
      String status,
      String lifecycleStage,
      String artifactUri,
      Map<String, String> params,
      Map<String, String> tags,
      List<MetricPoint> metrics) {}

  /** A registered model as the server holds it. */
  public record RegisteredModelView(
      String name, Map<String, String> tags, Map<String, Integer> aliases) {}

  /** A model version as the server holds it. */
  public record VersionView(
      String name,
      int version,
      String source,
      String runId,
      String status,
      Map<String, String> tags) {}

  private final HttpServer server;
  private final List<String> requests = Collections.synchronizedList(new ArrayList<>());
  private final List<Fault> faults = new ArrayList<>();
  private final Map<String, Experiment> experiments = new LinkedHashMap<>();
  private final Map<String, Run> runs = new LinkedHashMap<>();
  private final Map<String, RegisteredModel> models = new TreeMap<>();
  private final Map<String, byte[]> artifacts = new TreeMap<>();
  private String requiredAuthorization;
  private boolean serveArtifacts = true;
  private String artifactRoot = "mlflow-artifacts:";
  private String versionStatus = "READY";
  private int nextExperiment = 1;

  private MlflowTestServer(HttpServer server) {
    this.server = server;
  }

  /** Starts on a free loopback port. */
  public static MlflowTestServer start() {
    // without it every small answer waits for the client's delayed ACK (~40 ms a request)
    System.setProperty("sun.net.httpserver.nodelay", "true");
    try {
      HttpServer http =
          HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      MlflowTestServer mlflow = new MlflowTestServer(http);
      http.createContext("/", mlflow::handle);
      http.setExecutor(
          Executors.newFixedThreadPool(
              4,
              runnable -> {
                Thread thread = new Thread(runnable, "mlflow-test-server");
                thread.setDaemon(true);
                return thread;
              }));
      http.start();
      return mlflow;
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("cannot start the in-test MLflow server", e);
    }
  }

  /** {@code http://127.0.0.1:<port>}, the tracking URI. */
  public URI uri() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  // ---------------------------------------------------------------- test controls

  /**
   * Every call needs {@code Authorization: Bearer <token>} (a Databricks personal access token,
   * MLFLOW_TRACKING_TOKEN).
   */
  public synchronized void requireToken(String token) {
    requiredAuthorization = "Bearer " + token;
  }

  /** Every call needs basic authentication, as MLflow's {@code --app-name basic-auth} asks. */
  public synchronized void requireBasic(String username, String password) {
    requiredAuthorization =
        "Basic "
            + Base64.getEncoder()
                .encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Off: the artifact endpoints answer as {@code mlflow server --no-serve-artifacts} does (503).
   */
  public synchronized void serveArtifacts(boolean serve) {
    serveArtifacts = serve;
  }

  /**
   * The default artifact root of new experiments, {@code mlflow-artifacts:} unless changed (to
   * {@code s3://bucket} for instance).
   */
  public synchronized void artifactRoot(String root) {
    artifactRoot = root;
  }

  /** The status new model versions get ({@code READY}, or {@code FAILED_REGISTRATION}). */
  public synchronized void versionStatus(String status) {
    versionStatus = status;
  }

  /**
   * The next {@code times} calls of {@code call} ({@code "POST model-versions/create"}, {@code "PUT
   * mlflow-artifacts"}) answer {@code status} with MLflow's error body; when {@code applied}, the
   * call takes effect first (an answer lost on the way back), else it is refused untouched.
   */
  public synchronized void failNext(
      String call, int times, int status, String errorCode, boolean applied) {
    faults.add(new Fault(call, times, status, errorCode, applied));
  }

  /**
   * Every request received, {@code "POST runs/create"}, {@code "GET
   * mlflow-artifacts/1/<run>/artifacts/bundle/manifest.json"}.
   */
  public List<String> requests() {
    synchronized (requests) {
      return List.copyOf(requests);
    }
  }

  /** How many requests were {@code call}. */
  public long count(String call) {
    return requests().stream().filter(call::equals).count();
  }

  /** Forgets the requests received so far. */
  public void clearRequests() {
    requests.clear();
  }

  // ---------------------------------------------------------------- what the server holds

  public synchronized List<ExperimentView> experiments() {
    return experiments.values().stream()
        .map(e -> new ExperimentView(e.id, e.name, e.artifactLocation, Map.copyOf(e.tags)))
        .toList();
  }

  /** The runs of an experiment, deleted ones included, in creation order. */
  public synchronized List<RunView> runs(String experimentName) {
    return runs.values().stream()
        .filter(r -> experiments.get(r.experimentId).name.equals(experimentName))
        .map(Run::view)
        .toList();
  }

  public synchronized List<RegisteredModelView> registeredModels() {
    return models.values().stream()
        .map(m -> new RegisteredModelView(m.name, Map.copyOf(m.tags), Map.copyOf(m.aliases)))
        .toList();
  }

  /** A model's versions, deleted ones left out, oldest first. */
  public synchronized List<VersionView> versions(String model) {
    RegisteredModel registered = models.get(model);
    return registered == null
        ? List.of()
        : registered.versions.values().stream().map(ModelVersion::view).toList();
  }

  /** Artifact paths under {@code prefix} ({@code 1/<run>/artifacts/bundle/}), sorted. */
  public synchronized List<String> artifacts(String prefix) {
    return artifacts.keySet().stream().filter(p -> p.startsWith(prefix)).toList();
  }

  public synchronized byte[] artifact(String path) {
    return artifacts.get(path);
  }

  /** Overwrites a stored artifact (to damage a bundle). */
  public synchronized void putArtifact(String path, byte[] content) {
    artifacts.put(path, content);
  }

  /** Points an alias as another MLflow client would, outside Lakerank. */
  public synchronized void setAlias(String model, String alias, int version) {
    models.get(model).aliases.put(alias, version);
  }

  @Override
  public void close() {
    server.stop(0);
    ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
  }

  // ---------------------------------------------------------------- HTTP

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String method = exchange.getRequestMethod();
      String path = exchange.getRequestURI().getRawPath();
      String call =
          path.startsWith(API)
              ? method + " " + path.substring(API.length())
              : path.startsWith(ARTIFACTS)
                  ? method + " mlflow-artifacts/" + decode(path.substring(ARTIFACTS.length()))
                  : method + " " + path;
      requests.add(call);
      byte[] body = exchange.getRequestBody().readAllBytes();
      Answer answer;
      synchronized (this) {
        answer = answer(exchange, method, path, call, body);
      }
      exchange.getResponseHeaders().add("Content-Type", answer.contentType);
      answer.headers.forEach((key, value) -> exchange.getResponseHeaders().add(key, value));
      exchange.sendResponseHeaders(
          answer.status, answer.body.length == 0 ? -1 : answer.body.length);
      if (answer.body.length > 0) {
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(answer.body);
        }
      }
    }
  }

  private Answer answer(
      HttpExchange exchange, String method, String path, String call, byte[] body) {
    if (requiredAuthorization != null
        && !requiredAuthorization.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
      if (requiredAuthorization.startsWith("Basic ")) {
        // the basic-auth app's own answer: plain text and a challenge
        Answer refused =
            new Answer(
                401,
                "text/plain",
                ("You are not authenticated. Please see "
                        + "https://www.mlflow.org/docs/latest/auth/index.html#authenticating-to-mlflow on how to authenticate.")
                    .getBytes(StandardCharsets.UTF_8));
        refused.headers.put("WWW-Authenticate", "Basic realm=\"mlflow\"");
        return refused;
      }
      return error(401, "UNAUTHENTICATED", "Invalid access token.");
    }
    Fault fault =
        faults.stream()
            .filter(f -> f.remaining > 0 && call.startsWith(f.call))
            .findFirst()
            .orElse(null);
    if (fault != null) {
      fault.remaining--;
      if (!fault.applied) {
        return error(fault.status, fault.errorCode, "injected failure of " + call);
      }
    }
    Answer answer;
    try {
      if (path.startsWith(ARTIFACTS)) {
        answer = artifact(method, decode(path.substring(ARTIFACTS.length())), body);
      } else if (path.startsWith(API)) {
        JsonNode request =
            method.equals("GET")
                ? query(exchange.getRequestURI())
                : body.length == 0 ? JSON.createObjectNode() : JSON.readTree(body);
        answer = json(api(method + " " + path.substring(API.length()), request));
      } else {
        answer = error(404, "ENDPOINT_NOT_FOUND", "no endpoint " + method + " " + path);
      }
    } catch (MlflowError e) {
      answer = error(e.status, e.code, e.getMessage());
    } catch (IOException e) {
      answer = error(400, "MALFORMED_REQUEST", "the body is not JSON: " + e.getMessage());
    }
    return fault == null
        ? answer
        : error(fault.status, fault.errorCode, "injected failure after applying " + call);
  }

  private Answer artifact(String method, String path, byte[] body) {
    if (!serveArtifacts) {
      return new Answer(
          503,
          "text/plain",
          ("Endpoint: /mlflow-artifacts/artifacts/"
                  + path
                  + " disabled due to the mlflow server "
                  + "running with `--no-serve-artifacts`. To enable artifacts server functionality, run `mlflow server` with `--serve-artifacts`")
              .getBytes(StandardCharsets.UTF_8));
    }
    switch (method) {
      case "PUT" -> {
        artifacts.put(path, body);
        return json(JSON.createObjectNode());
      }
      case "GET" -> {
        byte[] content = artifacts.get(path);
        if (content == null) {
          return error(404, "RESOURCE_DOES_NOT_EXIST", "File " + path + " does not exist");
        }
        return new Answer(200, "application/octet-stream", content);
      }
      default -> {
        return error(405, "BAD_REQUEST", "method " + method + " is not served on artifacts");
      }
    }
  }

  private JsonNode api(String call, JsonNode request) {
    return switch (call) {
      case "POST experiments/search" -> searchExperiments(request);
      case "GET experiments/get-by-name" -> experimentByName(request);
      case "POST experiments/create" -> createExperiment(request);
      case "POST runs/create" -> createRun(request);
      case "POST runs/log-batch" -> logBatch(request);
      case "POST runs/set-tag" -> setRunTag(request);
      case "POST runs/update" -> updateRun(request);
      case "POST runs/search" -> searchRuns(request);
      case "POST runs/delete" -> deleteRun(request);
      case "GET runs/get" -> object("run", run(text(request, "run_id")).json());
      case "GET registered-models/search" -> searchRegisteredModels(request);
      case "GET registered-models/get" ->
          object("registered_model", registeredModel(text(request, "name")).json());
      case "POST registered-models/create" -> createRegisteredModel(request);
      case "POST registered-models/set-tag" -> setRegisteredModelTag(request);
      case "POST registered-models/alias" -> setAlias(request);
      case "GET registered-models/alias" -> aliasVersion(request);
      case "POST model-versions/create" -> createVersion(request);
      case "GET model-versions/get" ->
          object("model_version", version(text(request, "name"), text(request, "version")).json());
      case "GET model-versions/search" -> searchVersions(request);
      case "DELETE model-versions/delete" -> deleteVersion(request);
      default -> throw new MlflowError(404, "ENDPOINT_NOT_FOUND", "no endpoint " + call);
    };
  }

  // ---------------------------------------------------------------- tracking

  private JsonNode searchExperiments(JsonNode request) {
    Predicate<Map<String, String>> filter = filter(request.path("filter").asText(""));
    ArrayNode found = JSON.createArrayNode();
    for (Experiment experiment : experiments.values()) {
      if (experiment.lifecycle.equals("active") && filter.test(Map.of("name", experiment.name))) {
        found.add(experiment.json());
      }
    }
    return object("experiments", found);
  }

  private JsonNode experimentByName(JsonNode request) {
    String name = text(request, "experiment_name");
    return experiments.values().stream()
        .filter(e -> e.name.equals(name))
        .findFirst()
        .map(e -> object("experiment", e.json()))
        .orElseThrow(
            () ->
                new MlflowError(
                    404,
                    "RESOURCE_DOES_NOT_EXIST",
                    "Could not find experiment with name '" + name + "'"));
  }

  private JsonNode createExperiment(JsonNode request) {
    String name = text(request, "name");
    if (experiments.values().stream().anyMatch(e -> e.name.equals(name))) {
      throw new MlflowError(
          400, "RESOURCE_ALREADY_EXISTS", "Experiment '" + name + "' already exists.");
    }
    Experiment experiment = new Experiment();
    experiment.id = Integer.toString(nextExperiment++);
    experiment.name = name;
    experiment.artifactLocation =
        request.hasNonNull("artifact_location")
            ? request.get("artifact_location").asText()
            : artifactRoot + "/" + experiment.id;
    experiment.tags.putAll(tags(request.path("tags")));
    experiments.put(experiment.id, experiment);
    return object("experiment_id", JSON.getNodeFactory().textNode(experiment.id));
  }

  private JsonNode createRun(JsonNode request) {
    Experiment experiment = experiments.get(text(request, "experiment_id"));
    if (experiment == null) {
      throw new MlflowError(
          404,
          "RESOURCE_DOES_NOT_EXIST",
          "No Experiment with id=" + request.path("experiment_id").asText() + " exists");
    }
    Run run = new Run();
    run.id = UUID.randomUUID().toString().replace("-", "");
    run.experimentId = experiment.id;
    run.name = request.path("run_name").asText("run-" + runs.size());
    run.start = request.path("start_time").asLong();
    run.artifactUri = experiment.artifactLocation + "/" + run.id + "/artifacts";
    run.tags.putAll(tags(request.path("tags")));
    run.tags.put("mlflow.runName", run.name);
    runs.put(run.id, run);
    return object("run", run.json());
  }

  private JsonNode logBatch(JsonNode request) {
    Run run = run(text(request, "run_id"));
    if (request.path("params").size() > 100
        || request.path("metrics").size() > 1000
        || request.path("tags").size() > 100) {
      throw new MlflowError(
          400,
          "INVALID_PARAMETER_VALUE",
          "A batch logging request can contain at most 1000 metrics, 100 params and 100 tags");
    }
    for (JsonNode param : request.path("params")) {
      String key = param.path("key").asText();
      String value = param.path("value").asText();
      String before = run.params.get(key);
      if (before != null && !before.equals(value)) {
        throw new MlflowError(
            400,
            "INVALID_PARAMETER_VALUE",
            "Changing param values is not allowed. Param with key='"
                + key
                + "' was already logged with value='"
                + before
                + "' for run ID='"
                + run.id
                + "'. Attempted logging new value '"
                + value
                + "'.");
      }
      run.params.put(key, value);
    }
    for (JsonNode metric : request.path("metrics")) {
      MetricPoint point =
          new MetricPoint(
              metric.path("key").asText(),
              metric.path("value").asDouble(),
              metric.path("timestamp").asLong(),
              metric.path("step").asLong(0));
      if (!run.metrics.contains(point)) {
        run.metrics.add(point);
      }
    }
    run.tags.putAll(tags(request.path("tags")));
    return JSON.createObjectNode();
  }

  private JsonNode setRunTag(JsonNode request) {
    run(text(request, "run_id")).tags.put(text(request, "key"), request.path("value").asText());
    return JSON.createObjectNode();
  }

  private JsonNode updateRun(JsonNode request) {
    Run run = run(text(request, "run_id"));
    if (request.hasNonNull("status")) {
      run.status = request.get("status").asText();
    }
    if (request.hasNonNull("end_time")) {
      run.end = request.get("end_time").asLong();
    }
    return object("run_info", run.info());
  }

  private JsonNode searchRuns(JsonNode request) {
    List<String> ids = new ArrayList<>();
    request.path("experiment_ids").forEach(id -> ids.add(id.asText()));
    Predicate<Map<String, String>> filter = filter(request.path("filter").asText(""));
    ArrayNode found = JSON.createArrayNode();
    for (Run run : runs.values()) {
      Map<String, String> fields = new LinkedHashMap<>();
      run.tags.forEach((key, value) -> fields.put("tags." + key, value));
      fields.put("run_id", run.id);
      if (ids.contains(run.experimentId) && run.lifecycle.equals("active") && filter.test(fields)) {
        found.add(run.json());
      }
    }
    return object("runs", found);
  }

  private JsonNode deleteRun(JsonNode request) {
    run(text(request, "run_id")).lifecycle = "deleted";
    return JSON.createObjectNode();
  }

  // ---------------------------------------------------------------- registry

  private JsonNode searchRegisteredModels(JsonNode request) {
    Predicate<Map<String, String>> filter = filter(request.path("filter").asText(""));
    List<RegisteredModel> matching =
        models.values().stream()
            .filter(
                m -> {
                  Map<String, String> fields = new LinkedHashMap<>();
                  m.tags.forEach((key, value) -> fields.put("tags." + key, value));
                  fields.put("name", m.name);
                  return filter.test(fields);
                })
            .toList();
    return page(
        request,
        matching.stream().<JsonNode>map(RegisteredModel::json).toList(),
        "registered_models",
        100);
  }

  private JsonNode createRegisteredModel(JsonNode request) {
    String name = text(request, "name");
    if (models.containsKey(name)) {
      throw new MlflowError(
          400, "RESOURCE_ALREADY_EXISTS", "Registered Model (name=" + name + ") already exists.");
    }
    RegisteredModel model = new RegisteredModel();
    model.name = name;
    model.description = request.path("description").asText("");
    model.created = System.currentTimeMillis();
    model.tags.putAll(tags(request.path("tags")));
    models.put(name, model);
    return object("registered_model", model.json());
  }

  private JsonNode setRegisteredModelTag(JsonNode request) {
    registeredModel(text(request, "name")).tags.put(text(request, "key"), text(request, "value"));
    return JSON.createObjectNode();
  }

  private JsonNode setAlias(JsonNode request) {
    RegisteredModel model = registeredModel(text(request, "name"));
    ModelVersion version = version(model.name, text(request, "version"));
    model.aliases.put(text(request, "alias"), version.version);
    return JSON.createObjectNode();
  }

  private JsonNode aliasVersion(JsonNode request) {
    RegisteredModel model = registeredModel(text(request, "name"));
    String alias = text(request, "alias");
    Integer version = model.aliases.get(alias);
    if (version == null) {
      throw new MlflowError(
          404, "RESOURCE_DOES_NOT_EXIST", "Registered model alias " + alias + " not found.");
    }
    return object("model_version", model.versions.get(version).json());
  }

  private JsonNode createVersion(JsonNode request) {
    RegisteredModel model = registeredModel(text(request, "name"));
    ModelVersion version = new ModelVersion();
    version.model = model;
    version.version = model.nextVersion++;
    version.source = text(request, "source");
    version.runId = request.path("run_id").asText("");
    version.description = request.path("description").asText("");
    version.created = System.currentTimeMillis();
    version.status = versionStatus;
    version.tags.putAll(tags(request.path("tags")));
    model.versions.put(version.version, version);
    return object("model_version", version.json());
  }

  private JsonNode searchVersions(JsonNode request) {
    Predicate<Map<String, String>> filter = filter(request.path("filter").asText(""));
    List<JsonNode> found = new ArrayList<>();
    for (RegisteredModel model : models.values()) {
      for (ModelVersion version : model.versions.values()) {
        Map<String, String> fields = new LinkedHashMap<>();
        version.tags.forEach((key, value) -> fields.put("tags." + key, value));
        fields.put("name", model.name);
        fields.put("run_id", version.runId);
        if (filter.test(fields)) {
          found.add(version.json());
        }
      }
    }
    return page(request, found, "model_versions", 200_000);
  }

  private JsonNode deleteVersion(JsonNode request) {
    RegisteredModel model = registeredModel(text(request, "name"));
    ModelVersion version = version(model.name, text(request, "version"));
    model.versions.remove(version.version);
    model.aliases.values().removeIf(v -> v == version.version);
    return JSON.createObjectNode();
  }

  private RegisteredModel registeredModel(String name) {
    RegisteredModel model = models.get(name);
    if (model == null) {
      throw new MlflowError(
          404, "RESOURCE_DOES_NOT_EXIST", "Registered Model with name=" + name + " not found");
    }
    return model;
  }

  private ModelVersion version(String name, String version) {
    RegisteredModel model = registeredModel(name);
    ModelVersion found;
    try {
      found = model.versions.get(Integer.parseInt(version));
    } catch (NumberFormatException e) {
      throw new MlflowError(
          400,
          "INVALID_PARAMETER_VALUE",
          "Model version must be an integer, got '" + version + "'");
    }
    if (found == null) {
      throw new MlflowError(
          404,
          "RESOURCE_DOES_NOT_EXIST",
          "Model Version (name=" + name + ", version=" + version + ") not found");
    }
    return found;
  }

  private Run run(String id) {
    Run run = runs.get(id);
    if (run == null) {
      throw new MlflowError(404, "RESOURCE_DOES_NOT_EXIST", "Run with id=" + id + " not found");
    }
    return run;
  }

  // ---------------------------------------------------------------- JSON and filters

  private static JsonNode page(JsonNode request, List<JsonNode> all, String field, int defaultMax) {
    int max = request.path("max_results").asInt(defaultMax);
    int offset = request.path("page_token").asInt(0);
    ArrayNode items = JSON.createArrayNode();
    all.stream().skip(offset).limit(max).forEach(items::add);
    ObjectNode answer = object(field, items);
    if (offset + max < all.size()) {
      answer.put("next_page_token", Integer.toString(offset + max));
    }
    return answer;
  }

  private static final Pattern CONDITION =
      Pattern.compile(
          "\\s*((?:attribute\\.)?name|run_id|tags\\.(?:`([^`]+)`|\"([^\"]+)\"|([\\w.-]+)))\\s*=\\s*'((?:[^'\\\\]|\\\\.)*)'\\s*");

  /**
   * MLflow's search filter, the part Lakerank writes: equality conditions joined by {@code and}.
   */
  static Predicate<Map<String, String>> filter(String text) {
    if (text.isBlank()) {
      return fields -> true;
    }
    List<Map.Entry<String, String>> conditions = new ArrayList<>();
    for (String part : text.split("(?i)\\s+and\\s+")) {
      Matcher matcher = CONDITION.matcher(part);
      if (!matcher.matches()) {
        throw new MlflowError(400, "INVALID_PARAMETER_VALUE", "Invalid filter '" + text + "'");
      }
      String field = matcher.group(1).replace("attribute.", "");
      if (field.startsWith("tags.")) {
        String key =
            matcher.group(2) != null
                ? matcher.group(2)
                : matcher.group(3) != null ? matcher.group(3) : matcher.group(4);
        field = "tags." + key;
      }
      conditions.add(Map.entry(field, matcher.group(5)));
    }
    return fields -> conditions.stream().allMatch(c -> c.getValue().equals(fields.get(c.getKey())));
  }

  private static ObjectNode query(URI uri) {
    ObjectNode node = JSON.createObjectNode();
    String raw = uri.getRawQuery();
    if (raw != null) {
      for (String pair : raw.split("&")) {
        int equals = pair.indexOf('=');
        // a query string is form-encoded: `+` is a space (the Java client's URIBuilder writes them
        // so)
        String key =
            URLDecoder.decode(
                equals < 0 ? pair : pair.substring(0, equals), StandardCharsets.UTF_8);
        String value =
            equals < 0 ? "" : URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
        node.put(key, value);
      }
    }
    return node;
  }

  /** A path: `+` is itself. */
  private static String decode(String text) {
    return URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  private static String text(JsonNode request, String field) {
    JsonNode value = request.get(field);
    if (value == null || value.isNull() || value.asText().isEmpty()) {
      throw new MlflowError(
          400, "INVALID_PARAMETER_VALUE", "Missing value for required parameter '" + field + "'.");
    }
    return value.asText();
  }

  private static Map<String, String> tags(JsonNode tags) {
    Map<String, String> out = new LinkedHashMap<>();
    for (JsonNode tag : tags) {
      out.put(tag.path("key").asText(), tag.path("value").asText());
    }
    return out;
  }

  private static ArrayNode tagsJson(Map<String, String> tags) {
    ArrayNode array = JSON.createArrayNode();
    tags.forEach((key, value) -> array.addObject().put("key", key).put("value", value));
    return array;
  }

  private static ObjectNode object(String field, JsonNode value) {
    ObjectNode node = JSON.createObjectNode();
    node.set(field, value);
    return node;
  }

  private static Answer json(JsonNode body) {
    try {
      return new Answer(200, "application/json", JSON.writeValueAsBytes(body));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Answer error(int status, String code, String message) {
    ObjectNode body = JSON.createObjectNode().put("error_code", code).put("message", message);
    try {
      return new Answer(status, "application/json", JSON.writeValueAsBytes(body));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  // ---------------------------------------------------------------- state

  private static final class Answer {
    final int status;
    final String contentType;
    final byte[] body;
    final Map<String, String> headers = new LinkedHashMap<>();

    Answer(int status, String contentType, byte[] body) {
      this.status = status;
      this.contentType = contentType;
      this.body = body;
    }
  }

  private static final class Fault {
    final String call;
    int remaining;
    final int status;
    final String errorCode;
    final boolean applied;

    Fault(String call, int remaining, int status, String errorCode, boolean applied) {
      this.call = call;
      this.remaining = remaining;
      this.status = status;
      this.errorCode = errorCode;
      this.applied = applied;
    }
  }

  private static final class MlflowError extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final int status;
    final String code;

    MlflowError(int status, String code, String message) {
      super(message);
      this.status = status;
      this.code = code;
    }
  }

  private static final class Experiment {
    String id;
    String name;
    String artifactLocation;
    String lifecycle = "active";
    final long created = System.currentTimeMillis();
    final Map<String, String> tags = new LinkedHashMap<>();

    ObjectNode json() {
      ObjectNode node =
          JSON.createObjectNode()
              .put("experiment_id", id)
              .put("name", name)
              .put("artifact_location", artifactLocation)
              .put("lifecycle_stage", lifecycle)
              .put("last_update_time", created)
              .put("creation_time", created);
      node.set("tags", tagsJson(tags));
      return node;
    }
  }

  private static final class Run {
    String id;
    String experimentId;
    String name;
    String status = "RUNNING";
    String lifecycle = "active";
    String artifactUri;
    long start;
    long end;
    final Map<String, String> params = new LinkedHashMap<>();
    final Map<String, String> tags = new LinkedHashMap<>();
    final List<MetricPoint> metrics = new ArrayList<>();

    ObjectNode info() {
      ObjectNode info =
          JSON.createObjectNode()
              .put("run_id", id)
              .put("run_uuid", id)
              .put("run_name", name)
              .put("experiment_id", experimentId)
              .put("user_id", "")
              .put("status", status)
              .put("start_time", start)
              .put("artifact_uri", artifactUri)
              .put("lifecycle_stage", lifecycle);
      if (end > 0) {
        info.put("end_time", end);
      }
      return info;
    }

    ObjectNode json() {
      ObjectNode run = JSON.createObjectNode();
      run.set("info", info());
      ObjectNode data = run.putObject("data");
      Map<String, MetricPoint> latest = new LinkedHashMap<>();
      for (MetricPoint point : metrics) {
        MetricPoint before = latest.get(point.key());
        if (before == null
            || point.step() > before.step()
            || (point.step() == before.step() && point.timestamp() >= before.timestamp())) {
          latest.put(point.key(), point);
        }
      }
      ArrayNode metricsJson = data.putArray("metrics");
      latest
          .values()
          .forEach(
              p ->
                  metricsJson
                      .addObject()
                      .put("key", p.key())
                      .put("value", p.value())
                      .put("timestamp", p.timestamp())
                      .put("step", p.step()));
      ArrayNode paramsJson = data.putArray("params");
      params.forEach((key, value) -> paramsJson.addObject().put("key", key).put("value", value));
      data.set("tags", tagsJson(tags));
      run.putObject("inputs");
      return run;
    }

    RunView view() {
      return new RunView(
          id,
          experimentId,
          name,
          status,
          lifecycle,
          artifactUri,
          Map.copyOf(params),
          Map.copyOf(tags),
          List.copyOf(metrics));
    }
  }

  private static final class RegisteredModel {
    String name;
    String description;
    long created;
    int nextVersion = 1;
    final Map<String, String> tags = new LinkedHashMap<>();
    final Map<String, Integer> aliases = new TreeMap<>();
    final Map<Integer, ModelVersion> versions = new TreeMap<>();

    ObjectNode json() {
      ObjectNode node =
          JSON.createObjectNode()
              .put("name", name)
              .put("creation_timestamp", created)
              .put("last_updated_timestamp", created)
              .put("description", description);
      ArrayNode latest = node.putArray("latest_versions");
      if (!versions.isEmpty()) {
        latest.add(((TreeMap<Integer, ModelVersion>) versions).lastEntry().getValue().json());
      }
      node.set("tags", tagsJson(tags));
      ArrayNode aliasesJson = node.putArray("aliases");
      aliases.forEach(
          (alias, version) ->
              aliasesJson
                  .addObject()
                  .put("alias", alias)
                  .put("version", Integer.toString(version)));
      return node;
    }
  }

  private static final class ModelVersion {
    RegisteredModel model;
    int version;
    String source;
    String runId;
    String description;
    String status;
    long created;
    final Map<String, String> tags = new LinkedHashMap<>();

    ObjectNode json() {
      ObjectNode node =
          JSON.createObjectNode()
              .put("name", model.name)
              .put("version", Integer.toString(version))
              .put("creation_timestamp", created)
              .put("last_updated_timestamp", created)
              .put("current_stage", "None")
              .put("description", description)
              .put("source", source)
              .put("run_id", runId)
              .put("status", status);
      node.set("tags", tagsJson(tags));
      ArrayNode aliasesJson = node.putArray("aliases");
      model.aliases.forEach(
          (alias, v) -> {
            if (v == version) {
              aliasesJson.add(alias);
            }
          });
      return node;
    }

    VersionView view() {
      return new VersionView(model.name, version, source, runId, status, Map.copyOf(tags));
    }
  }
}
