package dev.lakerank.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lakerank.contract.messages.EventMessage;
import dev.lakerank.featurestore.FeatureStoreLocation;
import dev.lakerank.featurestore.format.EntityKeys;
import dev.lakerank.featurestore.format.FeatureValues;
import dev.lakerank.featurestore.online.OnlineStore;
import dev.lakerank.featurestore.online.OnlineView;
import dev.lakerank.featurestore.online.StoredRow;
import dev.lakerank.featurestore.online.ViewRead;
import dev.lakerank.jobs.LakerankException;
import dev.lakerank.jobs.config.LakerankConfig.StreamSettings;
import dev.lakerank.jobs.tables.EventType;
import dev.lakerank.jobs.tables.UserRealtimeFeatures;
import dev.lakerank.streaming.features.StreamFeatures;
import dev.lakerank.streaming.kafka.CommittedOffsets;
import dev.lakerank.streaming.kafka.KafkaClients;
import feast.proto.types.ValueProto.Value;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The live part of the demo ({@code lakerank stream demo}): a user's real-time features in the
 * online store and the recommendations the serving API answers, before and after the user clicks.
 * The clicks go to the {@code events} topic as any producer's would; {@code stream features} must
 * be running to carry them to the online store.
 */
final class LiveDemo {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> USER_FEATURES =
      List.of(
          UserRealtimeFeatures.IMPRESSIONS_1H,
          UserRealtimeFeatures.CLICKS_1H,
          UserRealtimeFeatures.LAST_CATEGORY);

  /** How many users the demo looks through for one without a value of the last hour. */
  private static final int QUIET_USER_SEARCH = 10_000;

  private final StreamSettings settings;
  private final FeatureStoreLocation location;
  private final String serving;
  private final PrintStream out;
  private final Clock clock;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  LiveDemo(
      StreamSettings settings,
      FeatureStoreLocation location,
      String serving,
      PrintStream out,
      Clock clock) {
    this.settings = settings;
    this.location = location;
    this.serving = serving.replaceAll("/$", "");
    this.out = out;
    this.clock = clock;
  }

  /**
   * Shows the user's features and recommendations ({@code chosen}, or when null the first user
   * without a value of the last hour), sends {@code clicks} clicks of the user on its recommended
   * items, waits until the online store counts them, and shows both again.
   *
   * @return how long the clicks took to reach the online store
   */
  Duration run(Long chosen, int clicks, Duration timeout) throws IOException, InterruptedException {
    out.println();
    out.println("== live: a click reaches the online store and the served recommendations");
    awaitFeatureStream(timeout);
    try (OnlineStore store = location.openOnline(1)) {
      OnlineView view =
          OnlineView.of(
              location.repository(), location.repository().featureView(StreamFeatures.USER_VIEW));
      long user = chosen != null ? chosen : quietUser(store, view);
      StoredRow before = read(store, view, user);
      out.println(
          "  user "
              + user
              + " now, online ("
              + location.describeOnline()
              + "): "
              + describe(before, view.ttl()));
      JsonNode first = recommendations(user);
      List<Long> items = new ArrayList<>();
      first.path("items").forEach(item -> items.add(item.path("item_id").asLong()));
      printRecommendations("  served now", first, Map.of());
      if (items.isEmpty()) {
        throw DemoErrors.conflict(
            "the serving API at "
                + serving
                + " answered no items for user "
                + user
                + "; start it on trained models (bin/lakerank serve)");
      }
      Instant sent = clock.instant();
      send(user, items, clicks, sent);
      out.printf(
          "  sent %d impressions and %d clicks of user %d on its top items to topic %s at %s%n",
          clicks, clicks, user, settings.eventsTopic(), sent);
      // the new value is the window of the clicks' event time (SQLite keeps whole seconds): it
      // counts
      // at least these clicks, and whatever of the user's last hour that window holds
      Instant sentSecond = sent.truncatedTo(ChronoUnit.SECONDS);
      long started = System.nanoTime();
      StoredRow after = null;
      while (System.nanoTime() - started < timeout.toNanos()) {
        after = read(store, view, user);
        if (after != null
            && after.eventTime() != null
            && !after.eventTime().isBefore(sentSecond)
            && clicks(after) >= clicks) {
          break;
        }
        TimeUnit.MILLISECONDS.sleep(20);
        after = null;
      }
      if (after == null) {
        throw DemoErrors.unavailable(
            "the clicks did not reach the online store within "
                + timeout.toSeconds()
                + " s; is `lakerank stream features` running against "
                + settings.bootstrapServers()
                + "?");
      }
      Duration took = Duration.ofNanos(System.nanoTime() - started);
      out.printf(
          "  %.2f s later, online: %s%n", took.toMillis() / 1000.0, describe(after, view.ttl()));
      Map<Long, Double> scores = new LinkedHashMap<>();
      first
          .path("items")
          .forEach(
              item -> scores.put(item.path("item_id").asLong(), item.path("score").asDouble()));
      JsonNode second = recommendations(user);
      printRecommendations("  served now", second, scores);
      boolean moved = false;
      for (JsonNode item : second.path("items")) {
        Double old = scores.get(item.path("item_id").asLong());
        moved |= old == null || Math.abs(old - item.path("score").asDouble()) > 1e-9;
      }
      if (!moved) {
        out.println(
            "  (the scores did not move: ranker "
                + second.path("models").path("ranker").asText()
                + " gives the user's real-time features no weight at these values; the features above are what it read)");
      }
      return took;
    }
  }

  /**
   * Waits until {@code stream features} has committed every event the topic holds now (a replay
   * just before the demo, say), so that what the store holds is the user's whole value and the wait
   * for the clicks times only the clicks.
   *
   * @throws LakerankException when the query committed nothing new within {@code timeout} while
   *     behind
   */
  private void awaitFeatureStream(Duration timeout) throws InterruptedException {
    String checkpoint = settings.checkpoint(StreamFeatures.QUERY);
    CommittedOffsets offsets = new CommittedOffsets(checkpoint, settings.eventsTopic());
    Map<Integer, Long> end = KafkaClients.endOffsets(settings, settings.eventsTopic());
    Map<Integer, Long> committed = offsets.read();
    long behind = CommittedOffsets.behind(end, committed);
    if (behind == 0) {
      return;
    }
    out.printf(
        "  waiting for `stream features` to read the %,d events of topic %s it has not yet committed%n",
        behind, settings.eventsTopic());
    long started = System.nanoTime();
    long moved = started;
    while (behind > 0) {
      if (System.nanoTime() - moved > timeout.toNanos()) {
        throw DemoErrors.unavailable(
            "`stream features` committed nothing in "
                + timeout.toSeconds()
                + " s and is "
                + behind
                + " events behind topic "
                + settings.eventsTopic()
                + " (checkpoint "
                + checkpoint
                + "); is it running against "
                + settings.bootstrapServers()
                + "?");
      }
      TimeUnit.MILLISECONDS.sleep(100);
      Map<Integer, Long> now = offsets.read();
      if (!now.equals(committed)) {
        committed = now;
        moved = System.nanoTime();
        behind = CommittedOffsets.behind(end, committed);
      }
    }
    out.printf("  caught up in %.1f s%n", (System.nanoTime() - started) / 1e9);
  }

  private void send(long user, List<Long> items, int clicks, Instant at) throws IOException {
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(KafkaClients.producer(settings))) {
      byte[] key = Long.toString(user).getBytes(StandardCharsets.UTF_8);
      for (int i = 0; i < clicks; i++) {
        long item = items.get(i % items.size());
        String impression = UUID.randomUUID().toString();
        String click = UUID.randomUUID().toString();
        for (ObjectNode event :
            List.of(
                event(impression, user, item, EventType.IMPRESSION, at),
                event(click, user, item, EventType.CLICK, at)
                    .put(EventMessage.IMPRESSION_ID, impression)
                    .put(EventMessage.DWELL_MS, 4000))) {
          producer.send(
              new ProducerRecord<>(settings.eventsTopic(), key, JSON.writeValueAsBytes(event)));
        }
      }
      producer.flush();
    }
  }

  private JsonNode recommendations(long user) throws IOException, InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(serving + "/v1/recommendations/" + user + "?k=5"))
            .timeout(Duration.ofSeconds(10))
            .GET()
            .build();
    HttpResponse<String> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw DemoErrors.unavailable(
          "the serving API at "
              + serving
              + " did not answer ("
              + e.getMessage()
              + "); start it with bin/lakerank serve, or point --serving at it",
          e);
    }
    if (response.statusCode() != 200) {
      throw DemoErrors.unavailable(
          "the serving API at "
              + serving
              + " answered "
              + response.statusCode()
              + ": "
              + response.body());
    }
    return JSON.readTree(response.body());
  }

  private void printRecommendations(String title, JsonNode answer, Map<Long, Double> before) {
    out.println(
        title
            + " (GET "
            + serving
            + "/v1/recommendations/"
            + answer.path("user_id").asLong()
            + "?k=5, ranker "
            + answer.path("models").path("ranker").asText()
            + "):");
    for (JsonNode item : answer.path("items")) {
      long id = item.path("item_id").asLong();
      double score = item.path("score").asDouble();
      Double old = before.get(id);
      out.printf(
          "    %d. item %d  score %.4f%s%n",
          item.path("rank").asInt(),
          id,
          score,
          old == null
              ? (before.isEmpty() ? "" : "  (new in the top 5)")
              : String.format("  (was %.4f)", old));
    }
  }

  private static StoredRow read(OnlineStore store, OnlineView view, long user) {
    byte[] key =
        EntityKeys.serialize(
            EntityKeys.of("user_id", Value.newBuilder().setInt64Val(user).build()),
            EntityKeys.DEFAULT_VERSION);
    return store.read(List.of(new ViewRead(view, USER_FEATURES, List.of(key)))).get(0).get(0);
  }

  /**
   * The first of users 1, 2, ... with no value of the last hour (nothing stored, or past the view's
   * ttl): the clicks then make the whole value, and the change shows in the served scores.
   */
  private long quietUser(OnlineStore store, OnlineView view) {
    Instant hourAgo = clock.instant().minus(view.ttl().isZero() ? Duration.ofHours(1) : view.ttl());
    for (long user = 1; user <= QUIET_USER_SEARCH; user++) {
      StoredRow row = read(store, view, user);
      if (row == null || row.eventTime() == null || row.eventTime().isBefore(hourAgo)) {
        return user;
      }
    }
    return 1;
  }

  private static long clicks(StoredRow row) {
    return row.values().getOrDefault("clicks_1h", Value.getDefaultInstance()).getInt64Val();
  }

  private String describe(StoredRow row, Duration ttl) {
    if (row == null) {
      return "nothing stored yet";
    }
    StringBuilder text = new StringBuilder();
    for (String feature : USER_FEATURES) {
      Object value =
          FeatureValues.fromProto(row.values().getOrDefault(feature, Value.getDefaultInstance()));
      text.append("user_realtime:").append(feature).append('=').append(value).append(' ');
    }
    text.append("as of ").append(row.eventTime());
    if (row.eventTime() != null
        && ttl.compareTo(Duration.ZERO) > 0
        && row.eventTime().isBefore(clock.instant().minus(ttl))) {
      text.append(" (older than the view's ttl of ")
          .append(ttl.toMinutes())
          .append(" min: a miss for a read at the current time)");
    }
    return text.toString();
  }

  /** An event message as upstream systems send one ({@link EventMessage}), field by field. */
  private static ObjectNode event(String id, long user, long item, EventType type, Object at) {
    return JSON.createObjectNode()
        .put(EventMessage.EVENT_ID, id)
        .put(EventMessage.USER_ID, user)
        .put(EventMessage.ITEM_ID, item)
        .put(EventMessage.EVENT_TYPE, type.value())
        .put(EventMessage.EVENT_TIME, String.valueOf(at))
        .put(EventMessage.DEVICE, "mobile")
        .put(EventMessage.SESSION_ID, "live-" + user);
  }
}
