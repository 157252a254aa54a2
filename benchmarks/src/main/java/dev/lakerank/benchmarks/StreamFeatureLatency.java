package dev.lakerank.benchmarks;

import dev.lakerank.featurestore.FeatureStoreLocation;
import dev.lakerank.featurestore.format.EntityKeys;
import dev.lakerank.featurestore.online.OnlineStore;
import dev.lakerank.featurestore.online.OnlineView;
import dev.lakerank.featurestore.online.StoredRow;
import dev.lakerank.featurestore.online.ViewRead;
import dev.lakerank.jobs.catalog.Lakehouse;
import dev.lakerank.jobs.config.ConfigLoader;
import dev.lakerank.jobs.config.LakerankConfig;
import dev.lakerank.jobs.spark.LogLevels;
import dev.lakerank.jobs.spark.SparkSessions;
import dev.lakerank.jobs.tables.BronzeTable;
import dev.lakerank.jobs.tables.RowOrigin;
import dev.lakerank.jobs.tables.SilverItems;
import dev.lakerank.jobs.tables.SilverUsers;
import dev.lakerank.streaming.features.StreamFeatures;
import dev.lakerank.streaming.ingest.StreamIngest;
import dev.lakerank.streaming.kafka.EmbeddedKafka;
import dev.lakerank.streaming.kafka.KafkaClients;
import feast.proto.types.ValueProto.Value;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerStageCompleted;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.StreamingQueryProgress;

/**
 * Event-to-online-feature latency of {@code stream features}, and the throughput of {@code stream
 * ingest}, on this machine with the embedded defaults: an in-process Kafka broker, Spark local[*],
 * the SQLite (or Redis) online store.
 *
 * <p>A load thread sends impressions and clicks of random users at a fixed rate. Every 100 ms the
 * prober sends a click of one of 50 probe users, and every 10 ms it reads the probe users' {@code
 * user_realtime} rows from the online store, until each click's count shows in {@code clicks_1h}
 * (only the prober clicks for probe users): a click's latency is from its send to the first read
 * that sees it, so it includes Kafka, the wait for the next micro-batch, Spark's work and the store
 * write.
 *
 * <pre>
 * StreamFeatureLatency --work DIR --rates 1000,5000 --duration 60 --warmup 20 [--store redis:127.0.0.1:6379] [--ingest 200000]
 * </pre>
 */
public final class StreamFeatureLatency {
  private static final int PROBES = 50;
  private static final Duration PROBE_EVERY = Duration.ofMillis(100);
  private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(20);
  private static final Duration POLL_EVERY = Duration.ofMillis(10);

  private final Path work;
  private final int users;
  private final int items;
  private final String store;
  private final PrintStream out;

  /** Clicks sent so far per probe user, over every rate measured. */
  private final long[] probeClicks = new long[PROBES];

  StreamFeatureLatency(Path work, int users, int items, String store, PrintStream out) {
    this.work = work;
    this.users = users;
    this.items = items;
    this.store = store;
    this.out = out;
  }

  /** One rate's figures; latencies in milliseconds. */
  /**
   * Spark's phases of a micro-batch ({@code StreamingQueryProgress.durationMs}), in the breakdown's
   * order.
   */
  static final List<String> PHASES =
      List.of(
          "triggerExecution",
          "latestOffset",
          "getBatch",
          "queryPlanning",
          "walCommit",
          "addBatch",
          "commitOffsets");

  record Result(
      int rate,
      double sent,
      long probes,
      long timeouts,
      double p50,
      double p95,
      double p99,
      double max,
      long batches,
      Map<String, Double> phases,
      double rowsPerBatch) {
    String line() {
      return String.format(
          Locale.ROOT,
          "| %,d | %,.0f | %d | %d | %.0f | %.0f | %.0f | %.0f | %,d | %.0f |",
          rate,
          sent,
          probes,
          timeouts,
          p50,
          p95,
          p99,
          max,
          batches,
          phases.getOrDefault("triggerExecution", Double.NaN));
    }

    String breakdown() {
      StringBuilder line =
          new StringBuilder(String.format(Locale.ROOT, "| %,d | %,.0f |", rate, rowsPerBatch));
      for (String phase : PHASES) {
        line.append(String.format(Locale.ROOT, " %.0f |", phases.getOrDefault(phase, Double.NaN)));
      }
      return line.toString();
    }
  }

  public static void main(String[] args) throws Exception {
    Path work = Path.of("benchmarks/target/stream-latency");
    List<Integer> rates = List.of(1000, 5000);
    double duration = 60;
    double warmup = 20;
    int users = 2000;
    int items = 500;
    String store = "repo";
    long ingest = 0;
    Map<String, String> settings = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i += 2) {
      switch (args[i]) {
        case "--work" -> work = Path.of(args[i + 1]);
        case "--rates" ->
            rates = Arrays.stream(args[i + 1].split(",")).map(Integer::parseInt).toList();
        case "--duration" -> duration = Double.parseDouble(args[i + 1]);
        case "--warmup" -> warmup = Double.parseDouble(args[i + 1]);
        case "--users" -> users = Integer.parseInt(args[i + 1]);
        case "--items" -> items = Integer.parseInt(args[i + 1]);
        case "--store" -> store = args[i + 1];
        case "--ingest" -> ingest = Long.parseLong(args[i + 1]);
        case "--set" -> {
          String[] pair = args[i + 1].split("=", 2);
          if (pair.length != 2) {
            throw new IllegalArgumentException(
                "--set " + args[i + 1] + ": give key=value, e.g. stream.shuffle-partitions=1");
          }
          settings.put(pair[0], pair[1]);
        }
        default ->
            throw new IllegalArgumentException(
                "unknown option "
                    + args[i]
                    + "; use --work, --rates, --duration, --warmup, --users, --items, --store, --ingest, --set key=value");
      }
    }
    new StreamFeatureLatency(work, users, items, store, System.out)
        .run(rates, duration, warmup, ingest, settings);
    System.exit(0);
  }

  /**
   * @param settings configuration keys set on top of the benchmark's own, as {@code --set} gives
   *     them
   */
  void run(
      List<Integer> rates,
      double duration,
      double warmup,
      long ingestMessages,
      Map<String, String> settings)
      throws Exception {
    deleteTree(work);
    Files.createDirectories(work);
    LogLevels.apply(false);
    org.apache.logging.log4j.core.config.Configurator.setLevel(
        "kafka", org.apache.logging.log4j.Level.ERROR);
    org.apache.logging.log4j.core.config.Configurator.setLevel(
        "org.apache.kafka", org.apache.logging.log4j.Level.ERROR);
    try (EmbeddedKafka kafka = EmbeddedKafka.start(work.resolve("kafka"), 0)) {
      Map<String, String> flags = new LinkedHashMap<>();
      flags.put("lakehouse.root", work.resolve("lakehouse").toString());
      flags.put("features.data-root", work.resolve("features").toString());
      flags.put("features.repo", Path.of("feature-repo").toAbsolutePath().toString());
      flags.put("features.online-store", store);
      flags.put("kafka.bootstrap-servers", kafka.bootstrapServers());
      flags.putAll(settings);
      LakerankConfig config = ConfigLoader.load(Optional.empty(), Map.of(), flags);
      KafkaClients.createTopics(
          config.stream(),
          KafkaClients.topics(config.stream()),
          config.stream().partitions(),
          (short) 1);
      SparkSession spark = SparkSessions.create(config.spark());
      debugStages(spark);
      Lakehouse lakehouse = new Lakehouse(spark, config.locations().lakehouseRoot());
      dimensions(lakehouse);
      printHeader(config);
      FeatureStoreLocation location = config.locations().featureStore();
      StreamFeatures features =
          new StreamFeatures(
              lakehouse,
              config.stream(),
              config.transformFutureTolerance(),
              location,
              Clock.systemUTC());
      StreamingQuery query = features.start(false);
      try (KafkaProducer<byte[], byte[]> producer =
              new KafkaProducer<>(KafkaClients.producer(config.stream()));
          OnlineStore online = location.openOnline(1)) {
        OnlineView view =
            OnlineView.of(
                location.repository(), location.repository().featureView(StreamFeatures.USER_VIEW));
        List<Result> results = new ArrayList<>();
        for (int rate : rates) {
          Result result =
              measure(
                  query,
                  producer,
                  online,
                  view,
                  config.stream().eventsTopic(),
                  rate,
                  duration,
                  warmup);
          results.add(result);
          out.println(result.line());
        }
        out.println();
        out.println("Mean milliseconds per micro-batch, by Spark's phases (durationMs):");
        out.println();
        out.println("| events/s | rows/batch | " + String.join(" | ", PHASES) + " |");
        out.println("|---|---|" + "---|".repeat(PHASES.size()));
        results.forEach(result -> out.println(result.breakdown()));
      } finally {
        query.stop();
        features.close();
      }
      if (ingestMessages > 0) {
        ingestThroughput(lakehouse, config, ingestMessages);
      }
    }
  }

  private Result measure(
      StreamingQuery query,
      KafkaProducer<byte[], byte[]> producer,
      OnlineStore online,
      OnlineView view,
      String topic,
      int rate,
      double duration,
      double warmup)
      throws InterruptedException {
    AtomicBoolean running = new AtomicBoolean(true);
    AtomicLong sent = new AtomicLong();
    Thread load = load(producer, topic, rate, running, sent);
    load.start();
    long warmupEnd = System.nanoTime() + (long) (warmup * 1e9);
    long end = warmupEnd + (long) (duration * 1e9);
    List<Double> latencies = new ArrayList<>();
    List<long[]> pending = new ArrayList<>();
    long timeouts = 0;
    long batchesBefore = -1;
    long sentBefore = 0;
    long sentAtEnd = -1;
    long measureStart = 0;
    long nextProbe = System.nanoTime();
    int probe = 0;
    while (System.nanoTime() < end || !pending.isEmpty()) {
      long now = System.nanoTime();
      if (batchesBefore < 0 && now >= warmupEnd) {
        batchesBefore = batches(query);
        sentBefore = sent.get();
        measureStart = now;
      }
      if (sentAtEnd < 0 && now >= end) {
        sentAtEnd = sent.get();
      }
      if (now >= nextProbe && now < end) {
        // {slot, expected clicks_1h, sent at, measured?}
        int slot = probe++ % PROBES;
        send(producer, topic, users + 1 + slot, 1, "click", Instant.now());
        producer.flush();
        pending.add(
            new long[] {slot, ++probeClicks[slot], System.nanoTime(), now >= warmupEnd ? 1 : 0});
        nextProbe += PROBE_EVERY.toNanos();
      }
      if (!pending.isEmpty()) {
        timeouts += checkProbes(online, view, pending, latencies);
      }
      // 10 ms between reads: finer than any latency here, and the prober's reads compete with Spark
      // for the cores
      LockSupport.parkNanos(POLL_EVERY.toNanos());
    }
    running.set(false);
    load.join();
    double seconds = (end - measureStart) / 1e9;
    long batches = batches(query) - batchesBefore;
    long firstMeasured = batchesBefore;
    Map<String, Double> phases = meanPhases(query, firstMeasured);
    double rowsPerBatch =
        Arrays.stream(query.recentProgress())
            .filter(p -> p.batchId() >= firstMeasured)
            .mapToLong(StreamingQueryProgress::numInputRows)
            .average()
            .orElse(Double.NaN);
    debugProgress(query);
    latencies.sort(Double::compare);
    return new Result(
        rate,
        ((sentAtEnd < 0 ? sent.get() : sentAtEnd) - sentBefore) / seconds,
        latencies.size(),
        timeouts,
        percentile(latencies, 0.50),
        percentile(latencies, 0.95),
        percentile(latencies, 0.99),
        latencies.isEmpty() ? Double.NaN : latencies.get(latencies.size() - 1),
        batches,
        phases,
        rowsPerBatch);
  }

  private void ingestThroughput(Lakehouse lakehouse, LakerankConfig config, long messages)
      throws Exception {
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(KafkaClients.producer(config.stream()))) {
      SplittableRandom random = new SplittableRandom(7);
      for (long i = 0; i < messages; i++) {
        send(
            producer,
            config.stream().eventsTopic(),
            1 + random.nextInt(users),
            1 + random.nextInt(items),
            random.nextDouble() < 0.1 ? "click" : "impression",
            Instant.now());
      }
      producer.flush();
    }
    long start = System.nanoTime();
    StreamingQuery query =
        new StreamIngest(
                lakehouse, config.stream(), config.transformFutureTolerance(), Clock.systemUTC())
            .start(true);
    query.awaitTermination();
    double seconds = (System.nanoTime() - start) / 1e9;
    long rows = lakehouse.read(BronzeTable.EVENTS.tableName()).count();
    out.println();
    out.printf(
        Locale.ROOT,
        "stream ingest --available-now: %,d messages (all the topic holds) into bronze in %.1f s: %,.0f messages/s "
            + "(%,d bronze rows, batches of up to %,d)%n",
        rows,
        seconds,
        rows / seconds,
        rows,
        config.stream().maxOffsetsPerTrigger());
  }

  private static void send(
      KafkaProducer<byte[], byte[]> producer,
      String topic,
      long user,
      long item,
      String type,
      Instant at) {
    String json =
        "{\"event_id\":\""
            + UUID.randomUUID()
            + "\",\"user_id\":"
            + user
            + ",\"item_id\":"
            + item
            + ",\"event_type\":\""
            + type
            + "\",\"event_time\":\""
            + at
            + "\",\"device\":\"mobile\",\"session_id\":\"s"
            + user
            + "\"}";
    producer.send(
        new ProducerRecord<>(
            topic,
            Long.toString(user).getBytes(StandardCharsets.UTF_8),
            json.getBytes(StandardCharsets.UTF_8)));
  }

  /**
   * silver.users and silver.items (with empty bronze tables: the data set has user and item
   * sources).
   */
  private void dimensions(Lakehouse lakehouse) {
    SparkSession spark = lakehouse.spark();
    Timestamp now = Timestamp.from(Instant.now());
    Timestamp long_ago = Timestamp.from(Instant.parse("2020-01-01T00:00:00Z"));
    List<Row> userRows = new ArrayList<>();
    for (long u = 1; u <= users + PROBES; u++) {
      userRows.add(
          RowFactory.create(u, long_ago, "de", "25-34", RowOrigin.SOURCE.value(), now, "bench"));
    }
    List<Row> itemRows = new ArrayList<>();
    for (long i = 1; i <= items; i++) {
      itemRows.add(
          RowFactory.create(
              i,
              "category_" + (i % 20),
              10.0 + i % 90,
              long_ago,
              RowOrigin.SOURCE.value(),
              now,
              "bench"));
    }
    lakehouse.createIfNotExists(BronzeTable.USERS.definition());
    lakehouse.createIfNotExists(BronzeTable.ITEMS.definition());
    spark
        .createDataFrame(userRows, SilverUsers.SCHEMA)
        .write()
        .format("delta")
        .mode(SaveMode.Overwrite)
        .save(lakehouse.location(SilverUsers.NAME));
    spark
        .createDataFrame(itemRows, SilverItems.SCHEMA)
        .write()
        .format("delta")
        .mode(SaveMode.Overwrite)
        .save(lakehouse.location(SilverItems.NAME));
  }

  private static long batches(StreamingQuery query) {
    StreamingQueryProgress last = query.lastProgress();
    return last == null ? 0 : last.batchId() + 1;
  }

  /**
   * The mean of each phase over the measured batches that read something (the last 100 batches at
   * most).
   */
  private static Map<String, Double> meanPhases(StreamingQuery query, long fromBatch) {
    Map<String, Double> means = new LinkedHashMap<>();
    List<StreamingQueryProgress> measured =
        Arrays.stream(query.recentProgress())
            .filter(p -> p.batchId() >= fromBatch && p.numInputRows() > 0)
            .toList();
    for (String phase : PHASES) {
      means.put(
          phase,
          measured.stream()
              .filter(p -> p.durationMs().containsKey(phase))
              .mapToLong(p -> p.durationMs().get(phase))
              .average()
              .orElse(Double.NaN));
    }
    return means;
  }

  private static double percentile(List<Double> sorted, double q) {
    if (sorted.isEmpty()) {
      return Double.NaN;
    }
    return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(q * sorted.size()) - 1));
  }

  private static void deleteTree(Path path) throws java.io.IOException {
    if (!Files.exists(path)) {
      return;
    }
    try (var walk = Files.walk(path)) {
      for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  /**
   * Each stage's wall time, run time and CPU time under LATENCY_DEBUG: where a micro-batch waits.
   */
  private static void debugStages(SparkSession spark) {
    if (System.getenv("LATENCY_DEBUG") == null) {
      return;
    }
    // each stage's wall time, run time and CPU time: where a micro-batch waits
    spark
        .sparkContext()
        .addSparkListener(
            new SparkListener() {
              @Override
              public void onStageCompleted(SparkListenerStageCompleted event) {
                var info = event.stageInfo();
                long wall = (long) info.completionTime().get() - (long) info.submissionTime().get();
                System.err.println(
                    "STAGEDEBUG "
                        + info.stageId()
                        + " tasks "
                        + info.numTasks()
                        + " wall "
                        + wall
                        + " run "
                        + info.taskMetrics().executorRunTime()
                        + " cpu "
                        + info.taskMetrics().executorCpuTime() / 1000000
                        + " "
                        + info.name().replaceAll("\\s+", " ")
                        + " | "
                        + info.details().lines().limit(4).map(String::strip).toList());
              }
            });
  }

  private void printHeader(LakerankConfig config) {
    out.println(
        "# Stream feature latency, "
            + Instant.now()
            + ", "
            + Runtime.getRuntime().availableProcessors()
            + " cores, "
            + "store "
            + config.locations().featureStore().describeOnline()
            + ", users "
            + users
            + " (+"
            + PROBES
            + " probes), items "
            + items);
    out.println();
    out.println(
        "| events/s | sent/s | probes | timeouts | p50 ms | p95 ms | p99 ms | max ms | batches | mean batch ms |");
    out.println("|---|---|---|---|---|---|---|---|---|---|");
  }

  /**
   * Reads the probe users' clicks_1h once: a probe whose click count has arrived is done (its
   * latency recorded when measured), one waiting longer than the timeout too.
   *
   * @return the measured probes that timed out
   */
  private long checkProbes(
      OnlineStore online, OnlineView view, List<long[]> pending, List<Double> latencies) {
    long timeouts = 0;
    List<byte[]> keys = new ArrayList<>();
    for (long[] waiting : pending) {
      keys.add(
          EntityKeys.serialize(
              EntityKeys.of(
                  "user_id", Value.newBuilder().setInt64Val(users + 1 + waiting[0]).build()),
              EntityKeys.DEFAULT_VERSION));
    }
    List<StoredRow> rows =
        online.read(List.of(new ViewRead(view, List.of("clicks_1h"), keys))).get(0);
    long seenAt = System.nanoTime();
    for (int i = rows.size() - 1; i >= 0; i--) {
      long[] waiting = pending.get(i);
      StoredRow row = rows.get(i);
      // only the prober clicks for probe users, all within the hour: the n-th click makes
      // clicks_1h n
      boolean seen =
          row != null
              && row.values().containsKey("clicks_1h")
              && row.values().get("clicks_1h").getInt64Val() >= waiting[1];
      boolean late = seenAt - waiting[2] > PROBE_TIMEOUT.toNanos();
      if (seen || late) {
        pending.remove(i);
        if (waiting[3] == 1) {
          if (seen) {
            latencies.add((seenAt - waiting[2]) / 1e6);
          } else {
            timeouts++;
          }
        }
      }
    }
    return timeouts;
  }

  /** Every micro-batch's rows, phases and state under LATENCY_DEBUG. */
  private static void debugProgress(StreamingQuery query) {
    if (System.getenv("LATENCY_DEBUG") == null) {
      return;
    }
    for (StreamingQueryProgress p : query.recentProgress()) {
      System.err.println(
          p.batchId()
              + " rows "
              + p.numInputRows()
              + " durations "
              + p.durationMs()
              + " state "
              + Arrays.stream(p.stateOperators())
                  .map(
                      o ->
                          o.operatorName()
                              + ":"
                              + o.numRowsTotal()
                              + "/"
                              + o.allUpdatesTimeMs()
                              + "ms")
                  .toList());
    }
  }

  /** The load: events at {@code rate} per second until {@code running} is false. */
  private Thread load(
      KafkaProducer<byte[], byte[]> producer,
      String topic,
      int rate,
      AtomicBoolean running,
      AtomicLong sent) {
    return new Thread(
        () -> {
          SplittableRandom random = new SplittableRandom(rate);
          long start = System.nanoTime();
          long n = 0;
          while (running.get()) {
            long due = start + (long) (n * 1e9 / rate);
            long wait = due - System.nanoTime();
            if (wait > 0) {
              LockSupport.parkNanos(wait);
            }
            long user = 1 + random.nextInt(users);
            String type = random.nextDouble() < 0.1 ? "click" : "impression";
            send(producer, topic, user, 1 + random.nextInt(items), type, Instant.now());
            n++;
            sent.incrementAndGet();
          }
        },
        "load");
  }
}
