package dev.lakerank.model.registry.mlflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.lakerank.model.bundle.BundleErrors;
import dev.lakerank.model.bundle.BundleException;
import dev.lakerank.model.bundle.BundleWriter;
import dev.lakerank.model.bundle.Evaluation;
import dev.lakerank.model.bundle.Json;
import dev.lakerank.model.bundle.Manifest;
import dev.lakerank.model.bundle.ModelBundle;
import dev.lakerank.model.registry.AliasHistory;
import dev.lakerank.model.registry.ModelRegistry;
import dev.lakerank.model.registry.ModelVersion;
import dev.lakerank.model.registry.RegistryErrors;
import dev.lakerank.model.registry.RegistryEvent;
import dev.lakerank.model.registry.RegistryException;
import dev.lakerank.model.registry.RegistryNames;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.mlflow.api.proto.ModelRegistry.ModelVersionStatus;
import org.mlflow.api.proto.ModelRegistry.ModelVersionTag;
import org.mlflow.api.proto.ModelRegistry.RegisteredModel;
import org.mlflow.api.proto.ModelRegistry.RegisteredModelTag;
import org.mlflow.api.proto.Service.CreateExperiment;
import org.mlflow.api.proto.Service.CreateRun;
import org.mlflow.api.proto.Service.Experiment;
import org.mlflow.api.proto.Service.ExperimentTag;
import org.mlflow.api.proto.Service.Metric;
import org.mlflow.api.proto.Service.Param;
import org.mlflow.api.proto.Service.RunInfo;
import org.mlflow.api.proto.Service.RunStatus;
import org.mlflow.api.proto.Service.RunTag;
import org.mlflow.api.proto.Service.ViewType;
import org.mlflow.tracking.Page;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The model registry in an MLflow tracking server and its model registry. What lands where:
 *
 * <ul>
 *   <li>one experiment per model, {@code <experiment-prefix><model>} ({@code lakerank-ranker});
 *   <li>one run per registration, named {@code <model>-<bundle time>}: the manifest's params, its
 *       metrics at step 0, the evaluation's metrics at K as {@code <metric>_at_k} with step K, tags
 *       for lineage ({@code lakerank.lineage.*}: data window, code version, Lakerank's run id;
 *       {@code lakerank.training_table.<table>}: the Delta version read; {@code
 *       mlflow.source.git.commit}), and the bundle's files as artifacts under {@code bundle/},
 *       {@code manifest.json} last;
 *   <li>one registered model per model (tag {@code lakerank.managed=true}), one model version per
 *       registration whose {@code source} is the run's {@code bundle} directory and {@code run_id}
 *       the run; MLflow's version numbers are the interface's;
 *   <li>aliases {@code champion} and {@code challenger} as MLflow aliases ({@code
 *       models:/ranker@champion}); every alias change and rollback also as a registered-model tag
 *       {@code lakerank.history.<time>-<n>} holding the {@link RegistryEvent} as JSON, from which
 *       {@link #history} and {@link #rollback} read; registrations come from the versions' creation
 *       times.
 * </ul>
 *
 * <p>mlflow-client retries every HTTP error but 429 twice, POSTs included, so a create the server
 * applied but answered with an error can be applied again. Creates are therefore made idempotent:
 * experiments and registered models are unique by name (a failed create is followed by a lookup); a
 * run carries a client-made {@code lakerank.registration_id} tag and a model version its run id, so
 * after a create Lakerank looks them up, keeps one and deletes the duplicates, and a create whose
 * answer was lost is found instead of made twice. Unknown models are found by search (an empty
 * answer, not a 404 the client would retry), so they are refused after one request.
 *
 * <p>{@link #open} downloads a bundle into {@code <cache>/<server>/<model>/<version>/} through a
 * temporary directory that is verified (every checksum) before it is renamed into place, so an
 * interrupted download never leaves a directory that passes as a complete bundle.
 */
public final class MlflowModelRegistry implements ModelRegistry {
  static final String TAG_MANAGED = "lakerank.managed";
  static final String TAG_REGISTRATION = "lakerank.registration_id";
  static final String TAG_MODEL = "lakerank.model";
  static final String TAG_KIND = "lakerank.kind";
  static final String TAG_MODEL_VERSION = "lakerank.model_version";
  static final String TAG_HISTORY = "lakerank.history.";
  static final String TAG_LINEAGE = "lakerank.lineage.";
  static final String TAG_TRAINING_TABLE = "lakerank.training_table.";

  /** Where a run's bundle lives under its artifact root. */
  public static final String ARTIFACT_PATH = "bundle";

  private static final Logger LOG = LoggerFactory.getLogger(MlflowModelRegistry.class);
  private static final int PARAMS_PER_BATCH = 100;
  private static final int METRICS_PER_BATCH = 1000;
  private static final int PAGE = 1000;
  private static final AtomicLong SEQUENCE = new AtomicLong();

  private final MlflowConnection mlflow;
  private final MlflowRegistrySettings settings;
  private final Clock clock;
  private final Map<String, Manifest> manifests = new ConcurrentHashMap<>();

  public MlflowModelRegistry(MlflowRegistrySettings settings, Clock clock) {
    this.settings = settings;
    this.mlflow = new MlflowConnection(settings);
    this.clock = clock;
  }

  @Override
  public String describe() {
    return "MLflow at " + settings.trackingUri();
  }

  // ---------------------------------------------------------------- register

  @Override
  public ModelVersion register(ModelBundle bundle) {
    Manifest manifest = bundle.manifest();
    String model = RegistryNames.check(manifest.name(), "model name");
    String experimentId = experiment(model);
    String registration = UUID.randomUUID().toString();
    RunInfo run = createRun(experimentId, model, manifest, registration);
    String runId = run.getRunId();
    try {
      String artifacts = proxyPath(run.getArtifactUri()) + "/" + ARTIFACT_PATH;
      logRun(runId, bundle);
      upload(bundle, artifacts);
      registeredModel(model, true);
      int version =
          createVersion(
              model, run.getArtifactUri() + "/" + ARTIFACT_PATH, runId, registration, manifest);
      awaitReady(model, version);
      mlflow.client(
          "POST runs/set-tag",
          c -> {
            c.setTag(runId, TAG_MODEL_VERSION, Integer.toString(version));
            return null;
          });
      mlflow.client(
          "POST runs/update",
          c -> {
            c.setTerminated(runId, RunStatus.FINISHED, clock.millis());
            return null;
          });
      LOG.info("registered {} version {} in {} (run {})", model, version, describe(), runId);
      manifests.put(model + "/" + version, manifest.withVersion(version));
      return version(model, version);
    } catch (RuntimeException e) {
      try {
        mlflow.client(
            "POST runs/update",
            c -> {
              c.setTerminated(runId, RunStatus.FAILED, clock.millis());
              return null;
            });
      } catch (RuntimeException failed) {
        e.addSuppressed(failed);
      }
      throw e;
    }
  }

  /** The model's experiment, created when missing. */
  private String experiment(String model) {
    String name = settings.experimentPrefix() + model;
    Optional<Experiment> found = findExperiment(name);
    if (found.isPresent()) {
      return found.get().getExperimentId();
    }
    CreateExperiment request =
        CreateExperiment.newBuilder()
            .setName(name)
            .addTags(ExperimentTag.newBuilder().setKey(TAG_MANAGED).setValue("true"))
            .addTags(ExperimentTag.newBuilder().setKey(TAG_MODEL).setValue(model))
            .build();
    try {
      return mlflow.client("POST experiments/create", c -> c.createExperiment(request));
    } catch (MlflowRequestException e) {
      // applied by an attempt whose answer was lost, or by another trainer at the same time
      return findExperiment(name)
          .map(Experiment::getExperimentId)
          .orElseThrow(
              () ->
                  e.is(MlflowErrors.RESOURCE_ALREADY_EXISTS)
                      ? RegistryErrors.conflict(
                          "the MLflow experiment `"
                              + name
                              + "` exists but is deleted: restore it (MLflow UI, or "
                              + "`mlflow experiments restore`), delete it for good, or set `"
                              + settings.settingsPrefix()
                              + "experiment-prefix`",
                          e)
                      : e);
    }
  }

  private Optional<Experiment> findExperiment(String name) {
    Page<Experiment> page =
        mlflow.client(
            "POST experiments/search",
            c ->
                c.searchExperiments(
                    "name = '" + name + "'", ViewType.ACTIVE_ONLY, 10, List.of(), null));
    for (Experiment experiment : page.getItems()) {
      if (experiment.getName().equals(name)) {
        return Optional.of(experiment);
      }
    }
    return Optional.empty();
  }

  private RunInfo createRun(
      String experimentId, String model, Manifest manifest, String registration) {
    CreateRun.Builder request =
        CreateRun.newBuilder()
            .setExperimentId(experimentId)
            .setRunName(
                model + "-" + manifest.createdAt().replaceAll("[-:]", "").replaceAll("\\.\\d+", ""))
            .setStartTime(clock.millis());
    runTags(model, manifest, registration)
        .forEach((key, value) -> request.addTags(RunTag.newBuilder().setKey(key).setValue(value)));
    RunInfo created;
    try {
      created = mlflow.client("POST runs/create", c -> c.createRun(request.build()));
    } catch (MlflowRequestException e) {
      List<RunInfo> applied = runsOf(experimentId, registration);
      if (applied.isEmpty()) {
        throw e;
      }
      LOG.warn(
          "runs/create failed ({}) but the server had created run {}; using it",
          e.getMessage(),
          applied.get(0).getRunId());
      created = applied.get(0);
    }
    String kept = created.getRunId();
    for (RunInfo duplicate : runsOf(experimentId, registration)) {
      if (!duplicate.getRunId().equals(kept)) {
        LOG.warn(
            "deleting run {}: a second copy of run {} made by a retried runs/create",
            duplicate.getRunId(),
            kept);
        mlflow.client(
            "POST runs/delete",
            c -> {
              c.deleteRun(duplicate.getRunId());
              return null;
            });
      }
    }
    if (!created.getArtifactUri().startsWith("mlflow-artifacts:")) {
      RuntimeException refused =
          MlflowErrors.unsupportedArtifacts(settings, created.getArtifactUri());
      mlflow.client(
          "POST runs/update",
          c -> {
            c.setTerminated(kept, RunStatus.FAILED, clock.millis());
            return null;
          });
      throw refused;
    }
    return created;
  }

  private List<RunInfo> runsOf(String experimentId, String registration) {
    List<RunInfo> runs = new ArrayList<>();
    Page<org.mlflow.api.proto.Service.Run> page =
        mlflow.client(
            "POST runs/search",
            c ->
                c.searchRuns(
                    List.of(experimentId),
                    "tags.`" + TAG_REGISTRATION + "` = '" + registration + "'",
                    ViewType.ACTIVE_ONLY,
                    10,
                    List.of(),
                    null));
    page.getItems().forEach(run -> runs.add(run.getInfo()));
    return runs;
  }

  private static Map<String, String> runTags(String model, Manifest manifest, String registration) {
    Map<String, String> tags = new LinkedHashMap<>();
    tags.put(TAG_REGISTRATION, registration);
    tags.put(TAG_MODEL, model);
    tags.put(TAG_KIND, manifest.kind().value());
    tags.put("mlflow.source.name", "lakerank");
    tags.put("mlflow.source.type", "JOB");
    if (manifest.sparkVersion() != null) {
      tags.put("lakerank.spark_version", manifest.sparkVersion());
    }
    manifest.lineage().forEach((key, value) -> tags.put(TAG_LINEAGE + key, value));
    manifest
        .trainingTables()
        .forEach((table, version) -> tags.put(TAG_TRAINING_TABLE + table, Long.toString(version)));
    String code = manifest.lineage().get("code_version");
    if (code != null && code.matches("[0-9a-f]{7,40}")) {
      tags.put("mlflow.source.git.commit", code);
    }
    return tags;
  }

  /** Params and metrics: the manifest's at step 0, and the evaluation's curves at K with step K. */
  private void logRun(String runId, ModelBundle bundle) {
    Manifest manifest = bundle.manifest();
    long now = clock.millis();
    List<Param> params = new ArrayList<>();
    new TreeMap<>(manifest.params())
        .forEach(
            (key, value) ->
                params.add(Param.newBuilder().setKey(key).setValue(String.valueOf(value)).build()));
    List<Metric> metrics = new ArrayList<>();
    new TreeMap<>(manifest.metrics())
        .forEach(
            (key, value) ->
                metrics.add(
                    Metric.newBuilder()
                        .setKey(key)
                        .setValue(value)
                        .setTimestamp(now)
                        .setStep(0)
                        .build()));
    if (manifest.files().containsKey(Evaluation.FILE)) {
      Evaluation evaluation = bundle.readJson(Evaluation.FILE, Evaluation.class);
      evaluation
          .atK()
          .forEach(
              (name, byK) ->
                  byK.forEach(
                      (k, value) -> {
                        if (value != null && Double.isFinite(value)) {
                          metrics.add(
                              Metric.newBuilder()
                                  .setKey(name + "_at_k")
                                  .setValue(value)
                                  .setTimestamp(now)
                                  .setStep(k)
                                  .build());
                        }
                      }));
    }
    for (int start = 0; start < params.size(); start += PARAMS_PER_BATCH) {
      List<Param> batch = params.subList(start, Math.min(params.size(), start + PARAMS_PER_BATCH));
      mlflow.client(
          "POST runs/log-batch",
          c -> {
            c.logBatch(runId, null, batch, null);
            return null;
          });
    }
    for (int start = 0; start < metrics.size(); start += METRICS_PER_BATCH) {
      List<Metric> batch =
          metrics.subList(start, Math.min(metrics.size(), start + METRICS_PER_BATCH));
      mlflow.client(
          "POST runs/log-batch",
          c -> {
            c.logBatch(runId, batch, null, null);
            return null;
          });
    }
  }

  /** The payload files, then the manifest: a reader that finds the manifest finds every file. */
  private void upload(ModelBundle bundle, String artifacts) {
    for (String file : new java.util.TreeSet<>(bundle.manifest().files().keySet())) {
      mlflow.upload(artifacts + "/" + file, bundle.file(file));
    }
    mlflow.upload(
        artifacts + "/" + ModelBundle.MANIFEST, bundle.directory().resolve(ModelBundle.MANIFEST));
  }

  /**
   * The registered model, found by search (never a 404); created, and marked as Lakerank's, when
   * {@code create}.
   */
  private Optional<JsonNode> registeredModel(String model, boolean create) {
    Optional<JsonNode> found = findRegisteredModel(model);
    if (found.isEmpty() && create) {
      Map<String, Object> request =
          Map.of(
              "name",
              model,
              "tags",
              List.of(Map.of("key", TAG_MANAGED, "value", "true")),
              "description",
              "Trained and registered by Lakerank; its runs are in the experiment `"
                  + settings.experimentPrefix()
                  + model
                  + "`.");
      try {
        mlflow.post("registered-models/create", request);
      } catch (MlflowRequestException e) {
        if (findRegisteredModel(model).isEmpty()) {
          throw e;
        }
      }
      found = findRegisteredModel(model);
    } else if (found.isPresent() && create && !managed(found.get())) {
      mlflow.post(
          "registered-models/set-tag", Map.of("name", model, "key", TAG_MANAGED, "value", "true"));
    }
    return found;
  }

  private Optional<JsonNode> findRegisteredModel(String model) {
    JsonNode answer =
        mlflow.get(
            "registered-models/search",
            Map.of("filter", "name = '" + model + "'", "max_results", "10"));
    for (JsonNode registered : answer.path("registered_models")) {
      if (registered.path("name").asText().equals(model)) {
        return Optional.of(registered);
      }
    }
    return Optional.empty();
  }

  private static boolean managed(JsonNode registeredModel) {
    for (JsonNode tag : registeredModel.path("tags")) {
      if (tag.path("key").asText().equals(TAG_MANAGED)
          && tag.path("value").asText().equals("true")) {
        return true;
      }
    }
    return false;
  }

  private int createVersion(
      String model, String source, String runId, String registration, Manifest manifest) {
    Map<String, Object> request = new LinkedHashMap<>();
    request.put("name", model);
    request.put("source", source);
    request.put("run_id", runId);
    request.put(
        "tags",
        List.of(
            Map.of("key", TAG_REGISTRATION, "value", registration),
            Map.of("key", TAG_KIND, "value", manifest.kind().value())));
    request.put(
        "description",
        "Lakerank " + manifest.kind().value() + " model, bundle written " + manifest.createdAt());
    Integer created = null;
    try {
      created =
          Integer.valueOf(
              mlflow
                  .post("model-versions/create", request)
                  .path("model_version")
                  .path("version")
                  .asText());
    } catch (MlflowRequestException e) {
      if (versionsOfRun(model, runId).isEmpty()) {
        throw e;
      }
      LOG.warn(
          "model-versions/create failed ({}) but the server had created the version; using it",
          e.getMessage());
    }
    List<Integer> ofRun = versionsOfRun(model, runId);
    int kept =
        Stream.concat(ofRun.stream(), Stream.ofNullable(created))
            .mapToInt(Integer::intValue)
            .min()
            .orElseThrow();
    for (int duplicate : ofRun) {
      if (duplicate != kept) {
        LOG.warn(
            "deleting {} version {}: a second copy of version {} made by a retried model-versions/create",
            model,
            duplicate,
            kept);
        mlflow.delete(
            "model-versions/delete", Map.of("name", model, "version", Integer.toString(duplicate)));
      }
    }
    return kept;
  }

  private List<Integer> versionsOfRun(String model, String runId) {
    List<Integer> versions = new ArrayList<>();
    for (org.mlflow.api.proto.ModelRegistry.ModelVersion version :
        search("run_id = '" + runId + "'")) {
      if (version.getName().equals(model)) {
        versions.add(Integer.valueOf(version.getVersion()));
      }
    }
    return versions;
  }

  /**
   * MLflow OSS makes a version READY at once; Databricks copies the artifacts first
   * (PENDING_REGISTRATION).
   */
  private void awaitReady(String model, int version) {
    long deadline = System.nanoTime() + settings.timeout().multipliedBy(4).toNanos();
    while (true) {
      org.mlflow.api.proto.ModelRegistry.ModelVersion state =
          mlflow.client(
              "GET model-versions/get", c -> c.getModelVersion(model, Integer.toString(version)));
      if (state.getStatus() == ModelVersionStatus.READY) {
        return;
      }
      if (state.getStatus() == ModelVersionStatus.FAILED_REGISTRATION
          || System.nanoTime() > deadline) {
        throw MlflowErrors.notReady(
            model, version, state.getStatus().name(), state.getStatusMessage());
      }
      try {
        Thread.sleep(500);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw MlflowErrors.notReady(
            model, version, state.getStatus().name(), "interrupted while waiting");
      }
    }
  }

  // ---------------------------------------------------------------- reads

  @Override
  public List<String> models() {
    List<String> names = new ArrayList<>();
    String token = null;
    do {
      Map<String, String> query = new LinkedHashMap<>();
      query.put("max_results", Integer.toString(PAGE));
      if (token != null) {
        query.put("page_token", token);
      }
      JsonNode answer = mlflow.get("registered-models/search", query);
      for (JsonNode registered : answer.path("registered_models")) {
        String name = registered.path("name").asText();
        if (managed(registered) && name.matches("[a-z][a-z0-9_-]{0,63}")) {
          names.add(name);
        }
      }
      token = answer.path("next_page_token").asText(null);
    } while (token != null && !token.isEmpty());
    return names.stream().sorted().toList();
  }

  /** A model version as MLflow lists it, before its manifest is read. */
  private record Listed(
      String model, int version, String source, String runId, long createdMillis) {}

  /**
   * The model's Lakerank versions (those with a registration tag), oldest first; one search per
   * page.
   */
  private List<Listed> listed(String model) {
    List<Listed> versions = new ArrayList<>();
    for (org.mlflow.api.proto.ModelRegistry.ModelVersion version :
        search("name = '" + model + "'")) {
      boolean ours =
          version.getTagsList().stream()
              .map(ModelVersionTag::getKey)
              .anyMatch(TAG_REGISTRATION::equals);
      if (ours
          && version.getName().equals(model)
          && version.getStatus() != ModelVersionStatus.FAILED_REGISTRATION) {
        versions.add(
            new Listed(
                model,
                Integer.parseInt(version.getVersion()),
                version.getSource(),
                version.getRunId(),
                version.getCreationTimestamp()));
      }
    }
    versions.sort(Comparator.comparingInt(Listed::version));
    return versions;
  }

  private List<org.mlflow.api.proto.ModelRegistry.ModelVersion> search(String filter) {
    List<org.mlflow.api.proto.ModelRegistry.ModelVersion> found = new ArrayList<>();
    Page<org.mlflow.api.proto.ModelRegistry.ModelVersion> page =
        mlflow.client(
            "GET model-versions/search", c -> c.searchModelVersions(filter, PAGE, List.of()));
    page.getItems().forEach(found::add);
    while (page.hasNextPage()) {
      Page<org.mlflow.api.proto.ModelRegistry.ModelVersion> current = page;
      page = mlflow.client("GET model-versions/search", c -> current.getNextPage());
      page.getItems().forEach(found::add);
    }
    return found;
  }

  @Override
  public List<ModelVersion> versions(String model) {
    RegistryNames.check(model, "model name");
    return listed(model).stream().map(this::toVersion).toList();
  }

  @Override
  public ModelVersion version(String model, int version) {
    RegistryNames.check(model, "model name");
    return toVersion(find(model, version, listed(model)));
  }

  private Listed find(String model, int version, List<Listed> versions) {
    if (versions.isEmpty()) {
      throw MlflowErrors.noSuchModel(settings, model, models());
    }
    return versions.stream()
        .filter(v -> v.version() == version)
        .findFirst()
        .orElseThrow(
            () ->
                MlflowErrors.noSuchVersion(
                    model, version, versions.stream().map(Listed::version).toList()));
  }

  private ModelVersion toVersion(Listed listed) {
    Manifest manifest = manifest(listed);
    return new ModelVersion(
        listed.model(),
        listed.version(),
        manifest,
        cacheDirectory(listed.model(), listed.version()),
        Instant.ofEpochMilli(listed.createdMillis()).toString(),
        listed.source());
  }

  /**
   * The manifest of a version: from its downloaded bundle, from memory, or downloaded alone (a
   * small JSON file).
   */
  private Manifest manifest(Listed listed) {
    String key = listed.model() + "/" + listed.version();
    Manifest known = manifests.get(key);
    if (known != null) {
      return known;
    }
    Path cached = cacheDirectory(listed.model(), listed.version()).resolve(ModelBundle.MANIFEST);
    Manifest manifest;
    if (Files.isRegularFile(cached)) {
      manifest = readManifest(cached);
    } else {
      Path temporary = null;
      try {
        Files.createDirectories(settings.cache());
        temporary = Files.createTempFile(settings.cache(), ".manifest-", ".json");
        mlflow.download(artifactPath(listed.source()) + "/" + ModelBundle.MANIFEST, temporary);
        manifest = readManifest(temporary).withVersion(listed.version());
      } catch (IOException e) {
        throw new UncheckedIOException(
            "cannot write in the MLflow bundle cache " + settings.cache(), e);
      } finally {
        deleteQuietly(temporary);
      }
    }
    manifests.put(key, manifest);
    return manifest;
  }

  private static Manifest readManifest(Path file) {
    try {
      return Json.MAPPER.readValue(file.toFile(), Manifest.class);
    } catch (IOException e) {
      throw BundleErrors.invalid(
          "cannot read the manifest downloaded from MLflow (" + file + "): " + e.getMessage(), e);
    }
  }

  @Override
  public Map<String, Integer> aliases(String model) {
    RegistryNames.check(model, "model name");
    Map<String, Integer> aliases = new TreeMap<>();
    fetchRegisteredModel(model)
        .ifPresent(
            registered ->
                registered
                    .getAliasesList()
                    .forEach(
                        alias ->
                            aliases.put(alias.getAlias(), Integer.valueOf(alias.getVersion()))));
    return aliases;
  }

  /**
   * The registered model with its aliases and tags: a search first, so that an unknown model is one
   * request, not a retried 404.
   */
  private Optional<RegisteredModel> fetchRegisteredModel(String model) {
    if (findRegisteredModel(model).isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        mlflow.client("GET registered-models/get", c -> c.getRegisteredModel(model)));
  }

  @Override
  public Optional<ModelVersion> alias(String model, String alias) {
    Integer version = aliases(model).get(alias);
    return version == null ? Optional.empty() : Optional.of(version(model, version));
  }

  @Override
  public List<RegistryEvent> history(String model) {
    RegistryNames.check(model, "model name");
    return history(listed(model), fetchRegisteredModel(model));
  }

  private List<RegistryEvent> history(List<Listed> versions, Optional<RegisteredModel> registered) {
    record Ordered(Instant at, int kind, String key, RegistryEvent event) {}
    List<Ordered> events = new ArrayList<>();
    for (Listed version : versions) {
      Instant at = Instant.ofEpochMilli(version.createdMillis());
      events.add(
          new Ordered(
              at,
              0,
              "",
              new RegistryEvent(
                  at.toString(), RegistryEvent.REGISTER, null, version.version(), null, null)));
    }
    if (registered.isPresent()) {
      for (RegisteredModelTag tag : registered.get().getTagsList()) {
        String key = tag.getKey();
        if (key.startsWith(TAG_HISTORY)) {
          try {
            RegistryEvent event = Json.MAPPER.readValue(tag.getValue(), RegistryEvent.class);
            events.add(new Ordered(Instant.parse(event.at()), 1, key, event));
          } catch (IOException | RuntimeException e) {
            LOG.warn(
                "ignoring the registered-model tag {} of {}: not a Lakerank history event ({})",
                key,
                registered.get().getName(),
                e.getMessage());
          }
        }
      }
    }
    events.sort(
        Comparator.comparing(Ordered::at)
            .thenComparingInt(Ordered::kind)
            .thenComparing(Ordered::key));
    return events.stream().map(Ordered::event).toList();
  }

  // ---------------------------------------------------------------- aliases

  @Override
  public ModelVersion setAlias(String model, String alias, int version, String reason) {
    RegistryNames.check(model, "model name");
    RegistryNames.check(alias, "alias");
    Listed target = find(model, version, listed(model));
    Integer previous = aliases(model).get(alias);
    moveAlias(
        model,
        alias,
        version,
        new RegistryEvent(now(), RegistryEvent.ALIAS, alias, version, previous, reason));
    return toVersion(target);
  }

  @Override
  public ModelVersion rollback(String model, String alias, String reason) {
    RegistryNames.check(model, "model name");
    RegistryNames.check(alias, "alias");
    List<Listed> versions = listed(model);
    if (versions.isEmpty()) {
      throw MlflowErrors.noSuchModel(settings, model, models());
    }
    AliasHistory.Rollback rollback =
        AliasHistory.rollback(model, alias, history(versions, fetchRegisteredModel(model)));
    Listed target = find(model, rollback.to(), versions);
    moveAlias(
        model,
        alias,
        rollback.to(),
        new RegistryEvent(
            now(), RegistryEvent.ROLLBACK, alias, rollback.to(), rollback.from(), reason));
    return toVersion(target);
  }

  /**
   * Sets the alias (one MLflow call, atomic there), then records the change; both are idempotent
   * when retried.
   */
  private void moveAlias(String model, String alias, int version, RegistryEvent event) {
    mlflow.post(
        "registered-models/alias",
        Map.of("name", model, "alias", alias, "version", Integer.toString(version)));
    String key =
        TAG_HISTORY
            + String.format(
                "%013d-%06d-%04x",
                clock.millis(),
                SEQUENCE.incrementAndGet() % 1_000_000,
                new java.util.Random().nextInt(0x10000));
    RegistryEvent recorded =
        event.reason() != null && event.reason().length() > 1000
            ? new RegistryEvent(
                event.at(),
                event.event(),
                event.alias(),
                event.version(),
                event.previous(),
                event.reason().substring(0, 1000))
            : event;
    try {
      String value =
          Json.MAPPER
              .copy()
              .disable(SerializationFeature.INDENT_OUTPUT)
              .writeValueAsString(recorded);
      mlflow.post("registered-models/set-tag", Map.of("name", model, "key", key, "value", value));
    } catch (RegistryException e) {
      throw MlflowErrors.historyNotRecorded(model, alias, version, e);
    } catch (IOException e) {
      throw new IllegalStateException("cannot write a history event", e);
    }
  }

  // ---------------------------------------------------------------- bundles

  @Override
  public ModelBundle open(ModelVersion version) {
    Path target = version.bundle();
    if (Files.isRegularFile(target.resolve(ModelBundle.MANIFEST))) {
      try {
        return ModelBundle.open(target);
      } catch (BundleException e) {
        LOG.warn(
            "the cached bundle {} does not verify ({}); downloading it again",
            target,
            e.getMessage());
        deleteTree(target);
      }
    }
    Path staging =
        target.resolveSibling("." + target.getFileName() + ".incoming-" + UUID.randomUUID());
    try {
      Files.createDirectories(staging);
      String source = artifactPath(version.source());
      mlflow.download(source + "/" + ModelBundle.MANIFEST, staging.resolve(ModelBundle.MANIFEST));
      Manifest manifest = readManifest(staging.resolve(ModelBundle.MANIFEST));
      for (String file : manifest.files().keySet()) {
        Path destination = staging.resolve(file).normalize();
        if (!destination.startsWith(staging)) {
          throw BundleErrors.invalid(
              "the manifest of "
                  + version.model()
                  + " version "
                  + version.version()
                  + " in MLflow names a file "
                  + "outside its bundle: "
                  + file);
        }
        mlflow.download(source + "/" + file, destination);
      }
      ModelBundle.open(staging);
      BundleWriter.writeManifest(staging, manifest.withVersion(version.version()));
      try {
        Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
      } catch (FileAlreadyExistsException | DirectoryNotEmptyException e) {
        // another process downloaded it at the same time; its copy was verified as this one was
      }
      return ModelBundle.open(target);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot write the bundle of "
              + version.model()
              + " version "
              + version.version()
              + " into the MLflow bundle cache "
              + target.getParent(),
          e);
    } finally {
      deleteTree(staging);
    }
  }

  /** {@code <cache>/<host[_port]>/<model>/<version>}. */
  private Path cacheDirectory(String model, int version) {
    URI uri = settings.trackingUri();
    String server =
        (uri.getHost() + (uri.getPort() > 0 ? "_" + uri.getPort() : "") + uri.getPath())
            .replaceAll("[^A-Za-z0-9._-]", "_");
    return settings
        .cache()
        .toAbsolutePath()
        .normalize()
        .resolve(server)
        .resolve(model)
        .resolve(Integer.toString(version));
  }

  /**
   * The artifact proxy's path of a version's source ({@code
   * mlflow-artifacts:/1/<run>/artifacts/bundle}, or {@code runs:/<run>/bundle}).
   */
  private String artifactPath(String source) {
    if (source.startsWith("runs:/")) {
      String rest = source.substring("runs:/".length());
      int slash = rest.indexOf('/');
      String runId = slash < 0 ? rest : rest.substring(0, slash);
      String path = slash < 0 ? "" : rest.substring(slash);
      String root = mlflow.client("GET runs/get", c -> c.getRun(runId)).getInfo().getArtifactUri();
      return proxyPath(root) + path;
    }
    return proxyPath(source);
  }

  private String proxyPath(String location) {
    if (!location.startsWith("mlflow-artifacts:")) {
      throw MlflowErrors.unsupportedArtifacts(settings, location);
    }
    String path = URI.create(location).getPath();
    return path.replaceAll("^/+", "").replaceAll("/+$", "");
  }

  private String now() {
    return clock.instant().toString();
  }

  private static void deleteQuietly(Path file) {
    if (file != null) {
      try {
        Files.deleteIfExists(file);
      } catch (IOException e) {
        // a temporary file left in the cache is harmless
      }
    }
  }

  private static void deleteTree(Path path) {
    if (!Files.exists(path)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(path)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      LOG.warn("cannot remove {} from the MLflow bundle cache: {}", path, e.getMessage());
    }
  }

  @Override
  public void close() {
    mlflow.close();
  }
}
