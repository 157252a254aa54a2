package dev.lakerank.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lakerank.featurestore.online.OnlineStore;
import dev.lakerank.featurestore.registry.FeastRegistry;
import dev.lakerank.featurestore.retrieval.OnlineFeatureService;
import dev.lakerank.featurestore.serving.FeatureServer;
import dev.lakerank.featurestore.testing.RedisServer;
import dev.lakerank.model.als.AlsScorer;
import dev.lakerank.model.ranker.RankerScorer;
import dev.lakerank.model.registry.ModelRegistry;
import dev.lakerank.serving.testing.Api;
import dev.lakerank.serving.testing.Api.Answer;
import dev.lakerank.serving.testing.ServingFixture;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same answers whichever way online features are read: in process from Redis (Feast's layout),
 * or through Feast's Java client from a Feast gRPC feature server. (SQLite in process: {@link
 * ServingApiTest}.)
 */
class FeatureSourcesTest {
  private static final Instant AT = Instant.parse("2026-03-01T07:15:00Z");
  private static final String BODY =
      "{\"user_id\": 3, \"item_ids\": [104, 150, 177, 999], "
          + "\"context\": {\"device\": \"ios\", \"timestamp\": \""
          + AT
          + "\"}}";

  @TempDir Path directory;

  @Test
  void inProcessRedisGivesTheScoresOfTheFixturesValues() {
    try (RedisServer redis = RedisServer.require()) {
      ServingFixture world = ServingFixture.create(directory, "redis:" + redis.connectionString());
      try (EmbeddedServer server =
          ApplicationContext.run(EmbeddedServer.class, world.properties())) {
        Api api = new Api(server.getURL());
        assertThat(api.get("/v1/models").json().path("feature_source").asText())
            .startsWith("in-process redis");
        checkScores(world, api.post("/v1/rank", BODY));
      } finally {
        world.teardown();
      }
    }
  }

  @Test
  void feastGrpcServerGivesTheSameScores() throws Exception {
    ServingFixture world = ServingFixture.create(directory, "sqlite");
    FeastRegistry registry = FeastRegistry.read(world.repo().resolve("data/registry.db"));
    try (OnlineStore store = world.openOnline();
        FeatureServer feast =
            FeatureServer.start(
                new OnlineFeatureService(
                    registry, store, Clock.fixed(ServingFixture.NOW, ZoneOffset.UTC)),
                "127.0.0.1",
                0,
                "test")) {
      Map<String, Object> properties = world.properties();
      properties.put("lakerank.features.source", "feast-grpc");
      properties.put("lakerank.features.feast-port", feast.port());
      try (EmbeddedServer server = ApplicationContext.run(EmbeddedServer.class, properties)) {
        Api api = new Api(server.getURL());
        assertThat(api.get("/v1/models").json().path("feature_source").asText())
            .startsWith("feast-grpc 127.0.0.1:" + feast.port());
        assertThat(api.get("/health/readiness").status()).isEqualTo(200);
        checkScores(world, api.post("/v1/rank", BODY));
      }
    }
  }

  private static void checkScores(ServingFixture world, Answer answer) {
    assertThat(answer.status()).as(answer.text()).isEqualTo(200);
    ModelRegistry registry = world.registry();
    AlsScorer als =
        AlsScorer.load(
            registry.open(registry.alias("recommender", ModelRegistry.CHAMPION).orElseThrow()));
    RankerScorer ranker =
        RankerScorer.load(
            registry.open(registry.alias("ranker", ModelRegistry.CHAMPION).orElseThrow()));
    JsonNode items = answer.json().path("items");
    assertThat(items).hasSize(4);
    for (JsonNode item : items) {
      long id = item.path("item_id").asLong();
      boolean known = id < 200;
      double want =
          ranker.score(
              new Object[] {
                ServingFixture.ctr(3),
                known ? ServingFixture.price(id) : null,
                (double) als.score(3, id),
                AT.atZone(ZoneOffset.UTC).getHour(),
                "ios",
                known ? ServingFixture.category(id) : null
              });
      assertThat(item.path("score").asDouble()).as("item %d", id).isCloseTo(want, within(1e-12));
    }
    assertThat(answer.json().path("feature_misses").path("item_profile").asInt()).isEqualTo(2);
  }
}
