package dev.lakerank.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lakerank.serving.config.KafkaLogConfiguration;
import dev.lakerank.serving.log.FeedbackRepository;
import dev.lakerank.serving.log.PredictionLogRepository;
import dev.lakerank.serving.testing.Api;
import dev.lakerank.serving.testing.ServingFixture;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The API with the Kafka log on but the brokers unreachable: it starts and serves, readiness stays
 * UP and shows the sink failing, the database log is untouched by it; and with the database sink
 * off, nothing reaches the database. The real broker is in the tests module's KafkaLogEndToEndTest.
 */
class KafkaLogServingTest {
  @TempDir Path directory;

  /** A port on loopback where nothing listens. */
  private static int closedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 0, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private Map<String, Object> properties(ServingFixture world) throws IOException {
    Map<String, Object> properties = world.properties();
    properties.put("lakerank.prediction-log.kafka.bootstrap-servers", "127.0.0.1:" + closedPort());
    properties.put("lakerank.prediction-log.kafka.properties.max.block.ms", "300");
    properties.put("lakerank.prediction-log.kafka.properties.client.id", "serving-test");
    properties.put("lakerank.prediction-log.close-timeout", "2s");
    return properties;
  }

  private static double count(MeterRegistry meters, String name, String sink) {
    return meters.counter(name, "sink", sink).count();
  }

  @Test
  void unreachableBrokersLeaveTheApiServingAndTheDatabaseLogWriting() throws Exception {
    ServingFixture world = ServingFixture.create(directory, "sqlite");
    try (EmbeddedServer server = ApplicationContext.run(EmbeddedServer.class, properties(world))) {
      ApplicationContext context = server.getApplicationContext();
      // the producer properties are bound verbatim, dotted keys kept
      assertThat(context.getBean(KafkaLogConfiguration.class).properties())
          .containsEntry("max.block.ms", "300")
          .containsEntry("client.id", "serving-test");
      Api api = new Api(server.getURL());
      String requestId = api.get("/v1/recommendations/5?k=3").json().path("request_id").asText();
      assertThat(api.post("/v1/rank", "{\"user_id\": 6, \"item_ids\": [110, 111]}").status())
          .isEqualTo(200);
      assertThat(
              api.post(
                      "/v1/feedback",
                      "{\"request_id\": \""
                          + requestId
                          + "\", \"item_id\": 110, \"event\": \"click\"}")
                  .json()
                  .path("recorded")
                  .asBoolean())
          .isTrue();

      MeterRegistry meters = context.getBean(MeterRegistry.class);
      await()
          .atMost(Duration.ofSeconds(20))
          .untilAsserted(
              () -> {
                assertThat(count(meters, "lakerank.log.failed", "kafka")).isEqualTo(3);
                assertThat(count(meters, "lakerank.log.written", "database")).isEqualTo(3);
              });
      assertThat(context.getBean(PredictionLogRepository.class).findByRequestId(requestId))
          .hasSize(1);
      assertThat(context.getBean(FeedbackRepository.class).findByRequestId(requestId)).hasSize(1);

      Api.Answer readiness = api.get("/health/readiness");
      assertThat(readiness.status()).as(readiness.text()).isEqualTo(200);
      JsonNode log = readiness.json().path("details").path("lakerank").path("details").path("log");
      assertThat(log.path("database").asText()).isEqualTo("up");
      assertThat(log.path("kafka").asText()).startsWith("failing since ").contains("300 ms");
    }
  }

  @Test
  void withTheDatabaseSinkOffTheLogGoesOnlyToKafka() throws Exception {
    ServingFixture world = ServingFixture.create(directory, "sqlite");
    Map<String, Object> properties = properties(world);
    properties.put("lakerank.prediction-log.database.enabled", false);
    try (EmbeddedServer server = ApplicationContext.run(EmbeddedServer.class, properties)) {
      Api api = new Api(server.getURL());
      assertThat(api.get("/v1/recommendations/5?k=3").status()).isEqualTo(200);
      assertThat(api.post("/v1/predict", "{\"user_id\": 7, \"item_id\": 120}").status())
          .isEqualTo(200);
      ApplicationContext context = server.getApplicationContext();
      MeterRegistry meters = context.getBean(MeterRegistry.class);
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> count(meters, "lakerank.log.failed", "kafka") == 2);
      JsonNode log =
          api.get("/health/readiness")
              .json()
              .path("details")
              .path("lakerank")
              .path("details")
              .path("log");
      assertThat(log.has("database")).isFalse();
      assertThat(log.has("kafka")).isTrue();
      assertThat(context.getBean(PredictionLogRepository.class).count()).isZero();
    }
  }
}
