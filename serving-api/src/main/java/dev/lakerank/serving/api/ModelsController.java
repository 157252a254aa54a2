package dev.lakerank.serving.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.lakerank.model.bundle.Manifest;
import dev.lakerank.serving.config.ServingConfiguration;
import dev.lakerank.serving.errors.ServingErrors;
import dev.lakerank.serving.features.FeatureSource;
import dev.lakerank.serving.models.LoadedModel;
import dev.lakerank.serving.models.ModelManager;
import dev.lakerank.serving.models.ModelManager.Refusal;
import dev.lakerank.serving.models.ModelManager.ReloadResult;
import dev.lakerank.serving.models.ModelSet;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Map;

/** What is loaded, and the admin's reload. */
@Controller("/v1/models")
@ExecuteOn(TaskExecutors.BLOCKING)
@Tag(name = "models")
public class ModelsController {
  private final ModelManager models;
  private final FeatureSource features;
  private final ServingConfiguration settings;

  public ModelsController(
      ModelManager models, FeatureSource features, ServingConfiguration settings) {
    this.models = models;
    this.features = features;
    this.settings = settings;
  }

  /** A served model: the loaded version, the registry's aliases, its metrics and lineage. */
  @Serdeable
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record ModelInfo(
      String name,
      String role,
      @Nullable Integer version,
      @Nullable String kind,
      Map<String, Integer> aliases,
      @JsonProperty("served_alias") String servedAlias,
      @Nullable @JsonProperty("created_at") String createdAt,
      @Nullable @JsonProperty("loaded_at") String loadedAt,
      @Nullable Map<String, Double> metrics,
      @Nullable Map<String, String> lineage,
      @Nullable @JsonProperty("training_tables") Map<String, Long> trainingTables,
      @Nullable List<String> inputs,
      @Nullable Map<String, Object> params,
      @Nullable Refusal refused) {}

  /** Every served model and where features come from. */
  @Serdeable
  public record ModelsInfo(
      boolean ready,
      List<ModelInfo> models,
      @JsonProperty("feature_source") String featureSource) {}

  @Operation(
      summary =
          "The served models: versions, aliases, metrics, lineage; a refused version with its reason")
  @Get
  public ModelsInfo list() {
    return new ModelsInfo(
        models.ready(),
        List.of(info(settings.recommender(), "recommender"), info(settings.ranker(), "ranker")),
        features.describe());
  }

  @Operation(summary = "One served model (404 for a model this API does not serve)")
  @Get("/{name}")
  public ModelInfo one(@PathVariable String name) {
    if (name.equals(settings.recommender())) {
      return info(name, "recommender");
    }
    if (name.equals(settings.ranker())) {
      return info(name, "ranker");
    }
    throw ServingErrors.notFound(
        "model '"
            + name
            + "' is not served here; this API serves "
            + settings.recommender()
            + " and "
            + settings.ranker());
  }

  @Operation(
      summary = "Load what the aliases point to now (admin)",
      description =
          "Needs X-Admin-Token when lakerank.serving.admin-token is set, else a call from loopback. "
              + "A version that fails to load is refused and the loaded one keeps serving.")
  @Post("/reload")
  public ReloadResult reload(
      HttpRequest<?> request, @Nullable @Header("X-Admin-Token") String token) {
    requireAdmin(request, token);
    return models.reload(true);
  }

  private void requireAdmin(HttpRequest<?> request, String token) {
    String expected = settings.adminToken();
    if (expected != null && !expected.isEmpty()) {
      if (token == null
          || !MessageDigest.isEqual(
              expected.getBytes(StandardCharsets.UTF_8), token.getBytes(StandardCharsets.UTF_8))) {
        throw ServingErrors.unauthenticated(
            "admin calls need the X-Admin-Token header " + "(lakerank.serving.admin-token)");
      }
      return;
    }
    if (!request.getRemoteAddress().getAddress().isLoopbackAddress()) {
      throw ServingErrors.forbidden(
          "admin calls are taken from loopback only unless "
              + "lakerank.serving.admin-token is set; set it and send X-Admin-Token");
    }
  }

  private ModelInfo info(String name, String role) {
    ModelSet set = models.ready() ? models.current() : null;
    LoadedModel<?> loaded =
        set == null ? null : role.equals("recommender") ? set.recommender() : set.ranker();
    Map<String, Integer> aliases;
    try {
      aliases = models.registry().aliases(name);
    } catch (dev.lakerank.model.registry.RegistryException e) {
      // the registry is unreachable: what is loaded is still shown, readiness says why
      aliases = Map.of();
    }
    Refusal refused = models.refusals().get(name);
    if (loaded == null) {
      return new ModelInfo(
          name,
          role,
          null,
          null,
          aliases,
          settings.alias(),
          null,
          null,
          null,
          null,
          null,
          null,
          null,
          refused);
    }
    Manifest manifest = loaded.manifest();
    return new ModelInfo(
        name,
        role,
        loaded.version(),
        manifest.kind().value(),
        aliases,
        settings.alias(),
        manifest.createdAt(),
        loaded.loadedAt().toString(),
        manifest.metrics(),
        manifest.lineage(),
        manifest.trainingTables(),
        manifest.features(),
        manifest.params(),
        refused);
  }
}
