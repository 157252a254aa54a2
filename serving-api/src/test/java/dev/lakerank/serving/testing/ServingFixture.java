package dev.lakerank.serving.testing;

import dev.lakerank.featurestore.definition.FeatureRepository;
import dev.lakerank.featurestore.definition.ValueType;
import dev.lakerank.featurestore.format.EntityKeys;
import dev.lakerank.featurestore.format.FeatureValues;
import dev.lakerank.featurestore.online.OnlineRow;
import dev.lakerank.featurestore.online.OnlineStore;
import dev.lakerank.featurestore.online.OnlineView;
import dev.lakerank.featurestore.registry.FeastRegistry;
import dev.lakerank.featurestore.testing.ShopRepository;
import dev.lakerank.model.als.AlsScorer;
import dev.lakerank.model.als.FactorMatrix;
import dev.lakerank.model.als.Popularity;
import dev.lakerank.model.als.SeenItems;
import dev.lakerank.model.bundle.BundleWriter;
import dev.lakerank.model.bundle.Manifest;
import dev.lakerank.model.bundle.ModelBundle;
import dev.lakerank.model.bundle.ModelKind;
import dev.lakerank.model.ranker.FeatureTransform.Assemble;
import dev.lakerank.model.ranker.FeatureTransform.Impute;
import dev.lakerank.model.ranker.FeatureTransform.StringIndex;
import dev.lakerank.model.ranker.Input;
import dev.lakerank.model.ranker.RankerModel.Logistic;
import dev.lakerank.model.ranker.RankerPipeline;
import dev.lakerank.model.registry.LocalModelRegistry;
import dev.lakerank.model.registry.ModelRegistry;
import dev.lakerank.model.registry.ModelVersion;
import feast.proto.types.ValueProto.Value;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/**
 * A served world on disk, without Spark: the shop feature repository with its registry.db and an
 * online store holding users 1-40 and items 100-199, and a model registry whose champions are an
 * ALS recommender (rank 4, users 1-40) and a logistic ranker over the shop's features, the ALS
 * score and the context. User 1 has seen items 100 and 101.
 *
 * <pre>{@code
 * ServingFixture world = ServingFixture.create(temporaryDirectory, "sqlite");
 * Map<String, Object> properties = world.properties();
 * }</pre>
 */
public final class ServingFixture {
  public static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
  public static final long[] SEEN_BY_USER_1 = {100, 101};

  /** The ranker's inputs as the training set names them. */
  public static final List<Input> RANKER_INPUTS =
      List.of(
          new Input("user_activity__ctr_7d", Input.InputType.NUMERIC),
          new Input("item_profile__price", Input.InputType.NUMERIC),
          new Input("als_score", Input.InputType.NUMERIC),
          new Input("hour_of_day", Input.InputType.NUMERIC),
          new Input("device", Input.InputType.STRING),
          new Input("item_profile__category", Input.InputType.STRING));

  private final Path root;
  private final Path repo;
  private final Path registryRoot;
  private final String onlineStore;
  private final String project;

  private ServingFixture(
      Path root, Path repo, Path registryRoot, String onlineStore, String project) {
    this.root = root;
    this.repo = repo;
    this.registryRoot = registryRoot;
    this.onlineStore = onlineStore;
    this.project = project;
  }

  /**
   * Writes the world into {@code root}.
   *
   * @param onlineStore {@code sqlite}, or {@code redis:<host:port>} (a unique project, removed by
   *     {@link #teardown()})
   */
  public static ServingFixture create(Path root, String onlineStore) {
    ServingFixture fixture = createWithoutModels(root, onlineStore);
    fixture.register("recommender", recommender(1f));
    fixture.register("ranker", ranker(new double[] {2.0, -0.01, 0.8, 0.02, 0.3, -0.4}, -1.5));
    return fixture;
  }

  /** The features only: an empty model registry. */
  public static ServingFixture createWithoutModels(Path root, String onlineStore) {
    try {
      Path repo = Files.createDirectories(root.resolve("feature-repo"));
      ShopRepository.write(repo);
      String project = "shop";
      if (onlineStore.startsWith("redis:")) {
        project = "serving_" + Long.toHexString(new Random().nextLong() & Long.MAX_VALUE);
        Files.writeString(
            repo.resolve(FeatureRepository.CONFIG_FILE),
            ShopRepository.CONFIG.replace("project: shop", "project: " + project));
      }
      FeatureRepository repository = FeatureRepository.load(repo);
      FeastRegistry registry =
          FeastRegistry.build(repository, view -> "/lake/" + view.name(), Optional.empty(), NOW);
      registry.write(repo.resolve("data/registry.db"));
      ServingFixture fixture =
          new ServingFixture(
              root,
              repo,
              Files.createDirectories(root.resolve("registry")),
              onlineStore.equals("sqlite") ? "repo" : onlineStore,
              project);
      fixture.writeOnline(registry);
      return fixture;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The API's settings for this world (free port, H2 in memory, quick polling off). */
  public Map<String, Object> properties() {
    Map<String, Object> properties = new LinkedHashMap<>();
    properties.put("micronaut.server.port", -1);
    properties.put("lakerank.serving.registry", registryRoot.toString());
    properties.put("lakerank.serving.poll-interval", "1h");
    properties.put("lakerank.features.repo", repo.toString());
    properties.put("lakerank.features.online-store", onlineStore);
    properties.put("lakerank.features.as-of", NOW.toString());
    properties.put(
        "datasources.default.url",
        "jdbc:h2:mem:"
            + root.getFileName()
            + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DB_CLOSE_DELAY=-1");
    return properties;
  }

  public Path repo() {
    return repo;
  }

  public ModelRegistry registry() {
    return new LocalModelRegistry(registryRoot, Clock.systemUTC());
  }

  /** Opens this world's online store. */
  public OnlineStore openOnline() {
    return dev.lakerank.featurestore.FeatureStoreLocation.of(repo, null, onlineStore).openOnline(1);
  }

  /** Removes the world's Redis keys (nothing for SQLite). */
  public void teardown() {
    if (onlineStore.startsWith("redis:")) {
      try (OnlineStore store = openOnline()) {
        store.teardown(FeastRegistry.read(repo.resolve("data/registry.db")).onlineViews().values());
      }
    }
  }

  /** User u's ctr_7d, item i's price and category, as written online. */
  public static double ctr(long user) {
    return 0.01 * (user % 10);
  }

  public static double price(long item) {
    return 5 + (item % 17);
  }

  public static String category(long item) {
    return item % 3 == 0 ? "shoes" : item % 3 == 1 ? "hats" : "bags";
  }

  private void writeOnline(FeastRegistry registry) {
    Map<String, OnlineView> views = registry.onlineViews();
    try (OnlineStore store = openOnline()) {
      store.prepare(views.values());
      List<OnlineRow> users = new ArrayList<>();
      for (long user = 1; user <= 40; user++) {
        users.add(
            new OnlineRow(
                EntityKeys.of("user_id", int64(user)),
                Map.of(
                    "clicks_7d",
                    int64(user),
                    "ctr_7d",
                    FeatureValues.toProto(ctr(user), ValueType.DOUBLE),
                    "last_category",
                    FeatureValues.nullValue()),
                NOW.minus(Duration.ofDays(1)),
                null));
      }
      store.write(views.get("user_activity"), users);
      List<OnlineRow> items = new ArrayList<>();
      for (long item = 100; item < 200; item++) {
        items.add(
            new OnlineRow(
                EntityKeys.of("item_id", int64(item)),
                Map.of(
                    "category",
                    FeatureValues.toProto(category(item), ValueType.STRING),
                    "price",
                    FeatureValues.toProto(price(item), ValueType.DOUBLE)),
                NOW.minus(Duration.ofDays(30)),
                null));
      }
      store.write(views.get("item_profile"), items);
    }
  }

  private static Value int64(long value) {
    return Value.newBuilder().setInt64Val(value).build();
  }

  /**
   * An ALS payload: users 1-40 and items 100-199 with deterministic factors, scaled by {@code
   * scale}.
   */
  public static BundlePayload recommender(float scale) {
    int rank = 4;
    long[] users = new long[40];
    float[] userValues = new float[40 * rank];
    for (int u = 0; u < users.length; u++) {
      users[u] = u + 1;
      for (int d = 0; d < rank; d++) {
        userValues[u * rank + d] = scale * (float) Math.sin(1.7 * (u + 1) + d);
      }
    }
    long[] items = new long[100];
    float[] itemValues = new float[100 * rank];
    for (int i = 0; i < items.length; i++) {
      items[i] = 100 + i;
      for (int d = 0; d < rank; d++) {
        itemValues[i * rank + d] = (float) Math.cos(0.9 * i + 2 * d);
      }
    }
    List<Long> popular = List.of(150L, 120L, 199L, 100L, 101L);
    List<Double> popularity = List.of(50.0, 40.0, 30.0, 20.0, 10.0);
    SeenItems seen =
        SeenItems.of(new long[] {1, 1, 2}, new long[] {SEEN_BY_USER_1[0], SEEN_BY_USER_1[1], 150});
    return new BundlePayload(
        ModelKind.ALS,
        List.of("user_id", "item_id"),
        writer -> {
          AlsScorer.write(
              writer,
              new FactorMatrix(rank, users, userValues),
              new FactorMatrix(rank, items, itemValues),
              new Popularity(popular, popularity));
          seen.write(writer);
        });
  }

  /** A logistic ranker over {@link #RANKER_INPUTS}. */
  public static BundlePayload ranker(double[] coefficients, double intercept) {
    return ranker(RANKER_INPUTS, coefficients, intercept);
  }

  /**
   * A logistic ranker over the given inputs (the first is replaced in the transforms by the given
   * one's name).
   */
  public static BundlePayload ranker(List<Input> inputs, double[] coefficients, double intercept) {
    String first = inputs.get(0).name();
    RankerPipeline pipeline =
        new RankerPipeline(
            inputs,
            List.of(
                new Impute(
                    List.of(first, "item_profile__price", "als_score", "hour_of_day"),
                    List.of("ctr", "price", "als", "hour"),
                    List.of(0.05, 10.0, 0.0, 12.0)),
                new StringIndex("device", "device_index", List.of("ios", "android"), true),
                new StringIndex(
                    "item_profile__category", "category_index", List.of("shoes", "hats"), true),
                new Assemble(
                    List.of("ctr", "price", "als", "hour", "device_index", "category_index"),
                    "features")),
            "features",
            List.of("ctr", "price", "als", "hour", "device", "category"),
            new Logistic(coefficients, intercept));
    List<String> features = inputs.stream().map(input -> input.name().replace("__", ":")).toList();
    return new BundlePayload(
        ModelKind.LOGISTIC_REGRESSION,
        features,
        writer -> writer.writeJson(RankerPipeline.FILE, pipeline));
  }

  /** What a bundle holds besides its manifest. */
  public record BundlePayload(
      ModelKind kind, List<String> features, java.util.function.Consumer<BundleWriter> payload) {}

  /** Exports and registers a version, and makes it the champion; returns the version. */
  public ModelVersion register(String name, BundlePayload bundle) {
    return register(name, bundle, true);
  }

  /** Exports and registers a version; the champion alias moves to it when {@code champion}. */
  public ModelVersion register(String name, BundlePayload bundle, boolean champion) {
    return register(registry(), name, bundle, champion);
  }

  /** The same into another registry (MLflow's). */
  public ModelVersion register(
      ModelRegistry registry, String name, BundlePayload bundle, boolean champion) {
    try {
      Path directory = Files.createTempDirectory(root, name + "-bundle");
      BundleWriter writer = new BundleWriter(directory);
      bundle.payload().accept(writer);
      Map<String, Double> metrics = new HashMap<>();
      metrics.put(bundle.kind() == ModelKind.ALS ? "ndcg_at_10" : "auc", 0.7);
      ModelBundle written =
          writer.finish(
              new Manifest(
                  Manifest.FORMAT_VERSION,
                  name,
                  0,
                  bundle.kind(),
                  Instant.now().toString(),
                  "4.1.0",
                  Map.of("silver.interactions", 3L),
                  bundle.features(),
                  Map.of("seed", 7),
                  metrics,
                  Map.of("run_id", "fixture"),
                  null));
      ModelVersion version = registry.register(written);
      if (champion) {
        registry.setAlias(name, ModelRegistry.CHAMPION, version.version(), "fixture");
      }
      return version;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
