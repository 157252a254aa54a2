package dev.lakerank.benchmarks;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.lakerank.featurestore.FeatureStoreLocation;
import dev.lakerank.featurestore.definition.FeatureReference;
import dev.lakerank.featurestore.format.FeatureValues;
import dev.lakerank.featurestore.online.OnlineStore;
import dev.lakerank.featurestore.registry.FeastRegistry;
import dev.lakerank.featurestore.retrieval.OnlineFeatureService;
import dev.lakerank.featurestore.retrieval.OnlineFeatures;
import dev.lakerank.jobs.catalog.Lakehouse;
import dev.lakerank.jobs.tables.RankerTrainingSet;
import dev.lakerank.jobs.train.RankerAlgorithm;
import dev.lakerank.jobs.train.RankerPipelines;
import dev.lakerank.model.als.AlsScorer;
import dev.lakerank.model.als.Recommendation;
import dev.lakerank.model.als.Recommendations;
import dev.lakerank.model.als.SeenItems;
import dev.lakerank.model.bundle.ModelBundle;
import dev.lakerank.model.registry.LocalModelRegistry;
import dev.lakerank.model.registry.ModelRegistry;
import feast.proto.serving.ServingAPIProto.FieldStatus;
import feast.proto.types.ValueProto.Value;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The baseline for the serving load benchmark: {@code GET /v1/recommendations/{user}?k=K} answered
 * the same way as the serving API (the champion ALS bundle's top 200 unseen candidates, their
 * online features read in process) except that the ranker is a Spark {@link PipelineModel} scoring
 * the candidates with {@code transform} on a 200-row DataFrame in the request path. The model is a
 * 100-tree GBT fitted at start on {@code gold.ranker_training_set} with Lakerank's own ranker
 * pipeline (its inputs: the feature service, device, hour and day; no ALS score column, which the
 * training set does not hold).
 *
 * <pre>
 * SparkInPathServer --lakehouse DIR --registry DIR --feature-repo DIR [--port 18090] [--threads 8]
 * </pre>
 */
public final class SparkInPathServer {
  private static final Set<String> FIXED =
      Set.of(
          RankerTrainingSet.IMPRESSION_ID,
          RankerTrainingSet.USER_ID,
          RankerTrainingSet.ITEM_ID,
          RankerTrainingSet.EVENT_TIMESTAMP,
          RankerTrainingSet.LABEL_CLICK,
          RankerTrainingSet.LABEL_PURCHASE);

  private final SparkSession spark;
  private final PipelineModel model;
  private final RankerPipelines pipelines;
  private final StructType schema;
  private final AlsScorer als;
  private final SeenItems seen;
  private final OnlineFeatureService features;
  private final List<FeatureReference> userRefs = new ArrayList<>();
  private final List<FeatureReference> itemRefs = new ArrayList<>();
  private final Clock clock;

  private SparkInPathServer(
      SparkSession spark, Lakehouse lakehouse, ModelRegistry registry, FeatureStoreLocation store) {
    this.spark = spark;
    Dataset<Row> training = lakehouse.read(RankerTrainingSet.NAME);
    List<String> numeric = new ArrayList<>();
    List<String> text = new ArrayList<>();
    for (StructField field : training.schema().fields()) {
      if (FIXED.contains(field.name())) {
        continue;
      }
      (field.dataType().equals(DataTypes.StringType) ? text : numeric).add(field.name());
    }
    pipelines = new RankerPipelines(numeric, text, RankerTrainingSet.LABEL_CLICK);
    long start = System.nanoTime();
    model =
        pipelines
            .pipeline(RankerAlgorithm.GBT, Map.of("maxIter", 100.0, "maxDepth", 5.0), 42)
            .fit(pipelines.prepare(training));
    System.out.printf(
        "fitted a 100-tree GBT on %s in %.0f s%n",
        RankerTrainingSet.NAME, (System.nanoTime() - start) / 1e9);
    StructType fields = new StructType();
    for (String name : numeric) {
      fields = fields.add(name, DataTypes.DoubleType, true);
    }
    for (String name : text) {
      fields = fields.add(name, DataTypes.StringType, true);
    }
    schema = fields;
    ModelBundle recommender =
        registry.open(registry.alias("recommender", ModelRegistry.CHAMPION).orElseThrow());
    als = AlsScorer.load(recommender);
    seen = SeenItems.load(recommender);
    FeastRegistry feast = store.registry();
    OnlineStore online = store.openOnline(4);
    Instant asOf =
        feast.onlineViews().keySet().stream()
            .map(feast::materializedUntil)
            .flatMap(java.util.Optional::stream)
            .max(Comparator.naturalOrder())
            .orElseGet(Instant::now);
    clock = Clock.fixed(asOf, ZoneOffset.UTC);
    features = new OnlineFeatureService(feast, online, clock);
    for (String name : numeric) {
      addRef(name, feast);
    }
    for (String name : text) {
      addRef(name, feast);
    }
  }

  private void addRef(String column, FeastRegistry feast) {
    int at = column.indexOf("__");
    if (at > 0 && feast.onlineViews().containsKey(column.substring(0, at))) {
      FeatureReference ref =
          new FeatureReference(column.substring(0, at), column.substring(at + 2));
      boolean user =
          feast.onlineViews().get(ref.featureView()).joinKeys().get(0).name().equals("user_id");
      (user ? userRefs : itemRefs).add(ref);
    }
  }

  public static void main(String[] args) throws IOException {
    Map<String, String> options =
        new java.util.HashMap<>(Map.of("--port", "18090", "--threads", "8"));
    for (int i = 0; i + 1 < args.length; i += 2) {
      options.put(args[i], args[i + 1]);
    }
    for (String required : List.of("--lakehouse", "--registry", "--feature-repo")) {
      if (!options.containsKey(required)) {
        System.err.println(
            "usage: SparkInPathServer --lakehouse DIR --registry DIR --feature-repo DIR [--port N] [--threads N]");
        System.exit(2);
      }
    }
    SparkSession spark = RankerModels.startSpark();
    SparkInPathServer baseline =
        new SparkInPathServer(
            spark,
            new Lakehouse(spark, options.get("--lakehouse")),
            new LocalModelRegistry(Path.of(options.get("--registry")), Clock.systemUTC()),
            FeatureStoreLocation.of(Path.of(options.get("--feature-repo")), null, "repo"));
    HttpServer server =
        HttpServer.create(
            new InetSocketAddress("127.0.0.1", Integer.parseInt(options.get("--port"))), 256);
    server.setExecutor(Executors.newFixedThreadPool(Integer.parseInt(options.get("--threads"))));
    server.createContext("/v1/recommendations/", baseline::handle);
    server.createContext(
        "/health/readiness", exchange -> respond(exchange, 200, "{\"status\":\"UP\"}"));
    server.start();
    System.out.println(
        "Spark-in-path baseline serving on http://127.0.0.1:" + options.get("--port"));
  }

  private void handle(HttpExchange exchange) throws IOException {
    try {
      String path = exchange.getRequestURI().getPath();
      long user = Long.parseLong(path.substring(path.lastIndexOf('/') + 1));
      String query = exchange.getRequestURI().getQuery();
      int k = query != null && query.startsWith("k=") ? Integer.parseInt(query.substring(2)) : 10;
      respond(exchange, 200, recommend(user, k));
    } catch (RuntimeException e) {
      respond(exchange, 500, "{\"detail\":\"" + e.getMessage().replace('"', '\'') + "\"}");
    }
  }

  private String recommend(long user, int k) {
    Recommendations top = als.recommend(user, 200, item -> seen.contains(user, item));
    long[] items = top.items().stream().mapToLong(Recommendation::itemId).toArray();
    Object[] userValues = read("user_id", new long[] {user}, userRefs)[0];
    Object[][] itemValues = read("item_id", items, itemRefs);
    ZonedDateTime at = clock.instant().atZone(ZoneOffset.UTC);
    List<Row> rows = new ArrayList<>(items.length);
    for (int i = 0; i < items.length; i++) {
      Object[] row = new Object[schema.size()];
      for (int c = 0; c < row.length; c++) {
        String name = schema.fields()[c].name();
        Object value = valueOf(name, userValues, itemValues[i], at);
        row[c] =
            value instanceof Number && schema.fields()[c].dataType().equals(DataTypes.DoubleType)
                ? ((Number) value).doubleValue()
                : value;
      }
      rows.add(RowFactory.create(row));
    }
    List<Row> scored =
        model.transform(spark.createDataFrame(rows, schema)).select("probability").collectAsList();
    Integer[] order = new Integer[items.length];
    double[] scores = new double[items.length];
    for (int i = 0; i < items.length; i++) {
      order[i] = i;
      scores[i] = ((Vector) scored.get(i).get(0)).apply(1);
    }
    Arrays.sort(order, (a, b) -> Double.compare(scores[b], scores[a]));
    StringBuilder json = new StringBuilder("{\"user_id\":").append(user).append(",\"items\":[");
    for (int r = 0; r < Math.min(k, items.length); r++) {
      json.append(r == 0 ? "" : ",")
          .append("{\"item_id\":")
          .append(items[order[r]])
          .append(",\"score\":")
          .append(scores[order[r]])
          .append('}');
    }
    return json.append("]}").toString();
  }

  private Object valueOf(String column, Object[] user, Object[] item, ZonedDateTime at) {
    if (column.equals(RankerTrainingSet.HOUR_OF_DAY)) {
      return at.getHour();
    }
    if (column.equals(RankerTrainingSet.DAY_OF_WEEK)) {
      return at.getDayOfWeek().getValue() % 7 + 1;
    }
    int at2 = column.indexOf("__");
    if (at2 < 0) {
      return null;
    }
    FeatureReference ref =
        new FeatureReference(column.substring(0, at2), column.substring(at2 + 2));
    int u = userRefs.indexOf(ref);
    if (u >= 0) {
      return user[u];
    }
    int i = itemRefs.indexOf(ref);
    return i >= 0 ? item[i] : null;
  }

  private Object[][] read(String joinKey, long[] ids, List<FeatureReference> refs) {
    Object[][] values = new Object[ids.length][refs.size()];
    if (refs.isEmpty()) {
      return values;
    }
    List<Value> keys = new ArrayList<>();
    for (long id : ids) {
      keys.add(Value.newBuilder().setInt64Val(id).build());
    }
    OnlineFeatures got = features.get(refs, Map.of(joinKey, keys), true);
    for (int f = 0; f < refs.size(); f++) {
      for (int r = 0; r < ids.length; r++) {
        if (got.status(f, r) == FieldStatus.PRESENT) {
          values[r][f] = FeatureValues.fromProto(got.value(f, r));
        }
      }
    }
    return values;
  }

  private static void respond(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }
}
