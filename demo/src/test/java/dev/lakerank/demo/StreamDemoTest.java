package dev.lakerank.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.lakerank.featurestore.FeatureStoreLocation;
import dev.lakerank.featurestore.format.EntityKeys;
import dev.lakerank.featurestore.online.OnlineRow;
import dev.lakerank.featurestore.online.OnlineStore;
import dev.lakerank.featurestore.online.OnlineView;
import dev.lakerank.jobs.testing.CliRun;
import dev.lakerank.streaming.features.StreamFeatures;
import dev.lakerank.streaming.testing.KafkaHarness;
import dev.lakerank.streaming.testing.StreamFixture;
import feast.proto.types.ValueProto.Value;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code lakerank stream demo}, the demo's live part, against the feature stream and a stand-in for
 * the serving API: the user's clicks reach the online store and the recommendations are asked for
 * again. The user's stored value is two hours old, past the view's ttl, as after a demo run the day
 * before: its clicks no longer count, and the demo waits for the new value, not for the old count
 * plus the new clicks. Without {@code --user} the demo takes the first user without a value of the
 * last hour: user 1, whose value is past the ttl. Events of other users sent just before it, which
 * the stream has not read yet, are waited for first.
 */
class StreamDemoTest {
  @TempDir Path temp;

  private static Value int64(long value) {
    return Value.newBuilder().setInt64Val(value).build();
  }

  @Test
  void theClicksReplaceAValueOlderThanTheTtlAndTheRecommendationsAreAskedAgain() throws Exception {
    StreamFixture fixture = new StreamFixture(temp, 3, 5);
    FeatureStoreLocation location = fixture.config().locations().featureStore();
    Instant stale = Instant.now().minus(Duration.ofHours(2)).truncatedTo(ChronoUnit.SECONDS);
    try (OnlineStore store = location.openOnline(1)) {
      OnlineView view =
          OnlineView.of(
              location.repository(), location.repository().featureView(StreamFeatures.USER_VIEW));
      store.prepare(List.of(view));
      store.write(
          view,
          List.of(
              new OnlineRow(
                  EntityKeys.of("user_id", int64(1)),
                  Map.of(
                      "impressions_1h",
                      int64(40),
                      "clicks_1h",
                      int64(10),
                      "last_category",
                      Value.newBuilder().setStringVal("c1").build()),
                  stale,
                  stale)));
    }

    // another user's events the feature stream has not read yet (a replay just before the demo):
    // the
    // demo waits until the stream has committed them before it looks at the store
    Instant recent = Instant.now().minus(Duration.ofMinutes(5));
    KafkaHarness.sendEvents(
        fixture.events,
        List.of(
            StreamFixture.event("r1", 2, 1, "impression", recent),
            StreamFixture.event("r2", 2, 1, "click", recent.plusSeconds(1)),
            StreamFixture.event("r3", 2, 2, "impression", recent.plusSeconds(2)),
            StreamFixture.event("r4", 3, 2, "impression", recent.plusSeconds(3))));

    AtomicInteger asked = new AtomicInteger();
    HttpServer serving =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    serving.createContext(
        "/v1/recommendations/1",
        exchange -> {
          asked.incrementAndGet();
          byte[] body =
              ("{\"user_id\":1,\"items\":[{\"item_id\":3,\"rank\":1,\"score\":0.61},"
                      + "{\"item_id\":4,\"rank\":2,\"score\":0.42}],\"models\":{\"recommender\":\"recommender@1\",\"ranker\":\"ranker@1\"}}")
                  .getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("Content-Type", "application/json");
          exchange.sendResponseHeaders(200, body.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
        });
    serving.start();
    try {
      String url = "http://127.0.0.1:" + serving.getAddress().getPort();
      AtomicReference<CliRun> demo = new AtomicReference<>();
      Thread live =
          new Thread(
              () ->
                  demo.set(
                      fixture.cli(
                          "stream",
                          "demo",
                          "--serving",
                          url,
                          "--clicks",
                          "3",
                          "--timeout",
                          "120s")),
              "stream-demo");
      live.start();
      // the feature stream, run again until the demo has seen its clicks online
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(150);
      while (live.isAlive() && System.nanoTime() < deadline) {
        CliRun features = fixture.cli("stream", "features", "--available-now");
        assertThat(features.exitCode()).as(features.err()).isZero();
      }
      live.join(TimeUnit.SECONDS.toMillis(10));
      CliRun run = demo.get();
      assertThat(run).as("the demo did not finish").isNotNull();
      assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
      assertThat(run.out())
          .contains(
              "waiting for `stream features` to read the 4 events of topic " + fixture.events,
              "caught up in")
          .contains(
              "user_realtime:clicks_1h=10 ",
              "as of " + stale,
              "older than the view's ttl of 60 min")
          .contains("sent 3 impressions and 3 clicks of user 1")
          // the new value: the three clicks (on items 3, 4, 3) and their impressions, nothing of
          // two hours ago
          .containsPattern(
              "s later, online: user_realtime:impressions_1h=3 user_realtime:clicks_1h=3 "
                  + "user_realtime:last_category=c[34] as of ")
          .contains(
              "1. item 3  score 0.6100  (was 0.6100)", "the scores did not move: ranker ranker@1");
      assertThat(asked).hasValue(2);
    } finally {
      serving.stop(0);
    }
  }
}
