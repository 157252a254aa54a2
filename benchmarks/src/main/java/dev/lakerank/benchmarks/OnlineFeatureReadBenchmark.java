package dev.lakerank.benchmarks;

import dev.lakerank.featurestore.definition.Feature;
import dev.lakerank.featurestore.definition.FeatureReference;
import dev.lakerank.featurestore.definition.FeatureRepository;
import dev.lakerank.featurestore.errors.OnlineStoreException;
import dev.lakerank.featurestore.format.EntityKeys;
import dev.lakerank.featurestore.format.FeatureValues;
import dev.lakerank.featurestore.online.OnlineRow;
import dev.lakerank.featurestore.online.OnlineStore;
import dev.lakerank.featurestore.online.OnlineView;
import dev.lakerank.featurestore.online.RedisOnlineStore;
import dev.lakerank.featurestore.online.SqliteOnlineStore;
import dev.lakerank.featurestore.registry.FeastRegistry;
import dev.lakerank.featurestore.retrieval.OnlineFeatureService;
import dev.lakerank.featurestore.retrieval.OnlineFeatures;
import feast.proto.serving.ServingAPIProto.FieldStatus;
import feast.proto.types.ValueProto.Value;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The online read a ranking request makes: {@link OnlineFeatureService#get} for the {@value
 * #SERVICE} feature service (19 features over {@code user_activity}, {@code item_popularity} and
 * {@code item_profile}) with {@value #CANDIDATES} entity rows, each holding the request's one
 * {@code user_id} and a distinct candidate {@code item_id}: one call per request, as the serving
 * API makes it. The target (feature store issue): p99 at most 1 ms on Redis over loopback.
 *
 * <p>The registry is built from the real definitions ({@code feature-repo}, or where the system
 * property {@value #REPOSITORY_PROPERTY} says). The setup writes every feature of those views, with
 * values of each feature's type and plausible sizes, for {@value #USERS} users and {@value #ITEMS}
 * items through {@link OnlineStore#write}, then pre-generates {@value #REQUESTS} requests (a random
 * user, {@value #CANDIDATES} random distinct items), so nothing but the read is timed.
 *
 * <p>{@code store=redis} needs a Redis server ({@value #REDIS_DEFAULT}, or the system property
 * {@value #REDIS_PROPERTY}, as host:port) and fails naming it when none answers. Its keys carry a
 * project of their own ({@code lakerank_bench_<random>}), are deleted in the teardown and expire
 * after a day should a run be killed. {@code store=sqlite} uses a file in a temporary directory,
 * deleted in the teardown.
 */
@State(Scope.Benchmark)
public class OnlineFeatureReadBenchmark extends LatencyBenchmark {
  public static final String REPOSITORY_PROPERTY = "lakerank.benchmarks.featureRepo";
  public static final String REDIS_PROPERTY = "lakerank.benchmarks.redis";
  static final String REDIS_DEFAULT = "127.0.0.1:6379";
  static final String SERVICE = "ranker";
  static final int USERS = 10_000;
  static final int ITEMS = 50_000;
  static final int CANDIDATES = 200;
  static final int REQUESTS = 1024;
  private static final String USER_KEY = "user_id";
  private static final String ITEM_KEY = "item_id";
  private static final int ROWS_PER_WRITE = 5_000;
  private static final int REDIS_KEY_TTL_SECONDS = 24 * 3600;
  private static final Pattern WINDOW = Pattern.compile("_(\\d+)d$");
  private static final String[] CATEGORIES = {
    "books",
    "toys",
    "home",
    "music",
    "games",
    "garden",
    "sports",
    "beauty",
    "grocery",
    "electronics",
    "fashion",
    "auto"
  };

  @Param({"redis", "sqlite"})
  public String store;

  private OnlineStore onlineStore;
  private OnlineFeatureService service;
  private List<FeatureReference> references;
  private List<Map<String, List<Value>>> requests;
  private String redisProject;
  private Path sqliteDirectory;
  private int next;

  @Setup(Level.Trial)
  public void setUp() {
    FeatureRepository repository = FeatureRepository.load(repositoryDirectory());
    FeastRegistry registry =
        FeastRegistry.build(repository, view -> "/tmp/x", Optional.empty(), Instant.now());
    onlineStore = open();
    try {
      service = new OnlineFeatureService(registry, onlineStore, Clock.systemUTC());
      references = service.featureService(SERVICE);
      Set<String> viewNames = new LinkedHashSet<>();
      references.forEach(reference -> viewNames.add(reference.featureView()));
      List<OnlineView> views = viewNames.stream().map(name -> service.views().get(name)).toList();
      onlineStore.prepare(views);
      SplittableRandom random = new SplittableRandom(31);
      Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
      for (OnlineView view : views) {
        write(view, random, now);
      }
      requests = new ArrayList<>(REQUESTS);
      for (int r = 0; r < REQUESTS; r++) {
        requests.add(request(random));
      }
      check(service.get(references, requests.get(0), false));
    } catch (RuntimeException e) {
      tearDown();
      throw e;
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    if (onlineStore != null) {
      if (redisProject != null) {
        // Feast's teardown: every key of the benchmark's own project
        onlineStore.teardown(java.util.List.of());
        redisProject = null;
      }
      onlineStore.close();
      onlineStore = null;
    }
    if (sqliteDirectory != null) {
      deleteDirectory(sqliteDirectory);
      sqliteDirectory = null;
    }
  }

  @Benchmark
  public OnlineFeatures getRankerFeaturesFor200Items() {
    Map<String, List<Value>> request = requests.get(next++ & (REQUESTS - 1));
    return service.get(references, request, false);
  }

  static Path repositoryDirectory() {
    return Path.of(System.getProperty(REPOSITORY_PROPERTY, "feature-repo")).toAbsolutePath();
  }

  static String redisAddress() {
    return System.getProperty(REDIS_PROPERTY, REDIS_DEFAULT);
  }

  private OnlineStore open() {
    switch (store) {
      case "redis":
        // letters, digits and '_' only: the project is matched as a glob in the teardown's SCAN
        String project =
            "lakerank_bench_"
                + Long.toHexString(new SplittableRandom().nextLong() & Long.MAX_VALUE);
        if (!redisAddress().matches("[^:,\\s]+:\\d+")) {
          throw new IllegalArgumentException(
              "-D"
                  + REDIS_PROPERTY
                  + "="
                  + redisAddress()
                  + " is not host:port, such as "
                  + REDIS_DEFAULT);
        }
        try {
          RedisOnlineStore redis =
              new RedisOnlineStore(redisAddress(), project, REDIS_KEY_TTL_SECONDS);
          redisProject = project;
          try {
            redis.ping();
          } catch (OnlineStoreException e) {
            redis.close();
            throw e;
          }
          return redis;
        } catch (OnlineStoreException e) {
          throw new IllegalStateException(
              "store=redis needs a Redis server at "
                  + redisAddress()
                  + " (set it with -D"
                  + REDIS_PROPERTY
                  + "=host:port), and none answers: "
                  + e.getMessage()
                  + "; start one (redis-server) or run only -p store=sqlite",
              e);
        }
      case "sqlite":
        try {
          sqliteDirectory = Files.createTempDirectory("lakerank-online-bench");
        } catch (IOException e) {
          throw new UncheckedIOException(
              "cannot create a temporary directory for the SQLite online store", e);
        }
        return new SqliteOnlineStore(sqliteDirectory.resolve("online.db"), "lakerank", 1);
      default:
        throw new IllegalArgumentException(
            "store `" + store + "` is not known; use -p store=redis or -p store=sqlite");
    }
  }

  /**
   * Writes one row per entity of the view's single join key, every feature of the view, in batches.
   */
  private void write(OnlineView view, SplittableRandom random, Instant now) {
    List<String> keys = view.joinKeyNames();
    int entities =
        keys.equals(List.of(USER_KEY)) ? USERS : keys.equals(List.of(ITEM_KEY)) ? ITEMS : -1;
    if (entities < 0) {
      throw new IllegalStateException(
          "feature view `"
              + view.name()
              + "` has join keys "
              + keys
              + "; this benchmark generates rows only for views keyed by "
              + USER_KEY
              + " or "
              + ITEM_KEY);
    }
    List<OnlineRow> batch = new ArrayList<>(ROWS_PER_WRITE);
    for (long id = 1; id <= entities; id++) {
      Map<String, Value> values = new HashMap<>();
      for (Feature feature : view.features()) {
        values.put(
            feature.name(), FeatureValues.toProto(plausible(feature, random), feature.valueType()));
      }
      // materialized within the last day, well inside the views' ttl
      Instant eventTime = now.minusSeconds(1 + random.nextInt(86_400));
      batch.add(new OnlineRow(EntityKeys.of(keys.get(0), int64(id)), values, eventTime, now));
      if (batch.size() == ROWS_PER_WRITE || id == entities) {
        OnlineStore.WriteResult result = onlineStore.write(view, batch);
        if (result.written() != batch.size()) {
          throw new IllegalStateException(
              "the "
                  + store
                  + " store wrote "
                  + result.written()
                  + " of "
                  + batch.size()
                  + " rows of "
                  + view.name()
                  + "; it should start empty");
        }
        batch.clear();
      }
    }
  }

  /**
   * A value of the feature's type with the size of a real one: counts grow with the window in the
   * name ({@code _7d}), rates lie in [0, 0.2], an average rating is null for about a third of the
   * entities (nothing rated).
   */
  private static Object plausible(Feature feature, SplittableRandom random) {
    String name = feature.name();
    Matcher window = WINDOW.matcher(name);
    int days = window.find() ? Integer.parseInt(window.group(1)) : 1;
    switch (feature.valueType()) {
      case INT64:
        double scale = name.startsWith("impressions") ? 20 : name.startsWith("clicks") ? 1.5 : 0.3;
        return Math.round(Math.exp(random.nextGaussian()) * scale * days);
      case DOUBLE:
        if (name.startsWith("ctr")) {
          return random.nextDouble() * 0.2;
        }
        if (name.startsWith("avg_rating")) {
          return random.nextInt(3) == 0 ? null : 1 + 4 * random.nextDouble();
        }
        return Math.round(Math.exp(random.nextGaussian() + 3) * days * 100) / 100.0;
      case STRING:
        return CATEGORIES[random.nextInt(CATEGORIES.length)];
      default:
        throw new IllegalStateException(
            "feature `"
                + name
                + "` is "
                + feature.valueType().dtypeName()
                + "; this benchmark generates Int64, Float64 and String values only");
    }
  }

  /** One ranking request: the same user on every row, {@value #CANDIDATES} distinct items. */
  private static Map<String, List<Value>> request(SplittableRandom random) {
    Value user = int64(1 + random.nextInt(USERS));
    Set<Long> items = new LinkedHashSet<>();
    while (items.size() < CANDIDATES) {
      items.add(1L + random.nextInt(ITEMS));
    }
    Map<String, List<Value>> entities = new LinkedHashMap<>();
    entities.put(USER_KEY, Collections.nCopies(CANDIDATES, user));
    entities.put(ITEM_KEY, items.stream().map(OnlineFeatureReadBenchmark::int64).toList());
    return entities;
  }

  /**
   * Every row of a request must find every feature: a benchmark of NOT_FOUND would measure nothing.
   */
  private void check(OnlineFeatures features) {
    if (features.rows() != CANDIDATES || features.names().size() != references.size()) {
      throw new IllegalStateException(
          "expected "
              + references.size()
              + " features x "
              + CANDIDATES
              + " rows, got "
              + features.names().size()
              + " x "
              + features.rows());
    }
    for (int f = 0; f < references.size(); f++) {
      for (int r = 0; r < CANDIDATES; r++) {
        FieldStatus status = features.status(f, r);
        if (status != FieldStatus.PRESENT && status != FieldStatus.NULL_VALUE) {
          throw new IllegalStateException(
              "the "
                  + store
                  + " store answered "
                  + status
                  + " for "
                  + features.names().get(f)
                  + " of row "
                  + r
                  + " right after the setup wrote it");
        }
      }
    }
  }

  private static Value int64(long value) {
    return Value.newBuilder().setInt64Val(value).build();
  }

  private static void deleteDirectory(Path directory) {
    try (Stream<Path> files = Files.walk(directory)) {
      for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(file);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete the SQLite online store in " + directory, e);
    }
  }
}
