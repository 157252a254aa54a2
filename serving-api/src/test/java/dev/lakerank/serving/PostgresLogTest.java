package dev.lakerank.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.lakerank.serving.testing.Api;
import dev.lakerank.serving.testing.Postgres;
import dev.lakerank.serving.testing.ServingFixture;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The prediction log on the real PostgreSQL (127.0.0.1:5432, database test): the schema comes from
 * the Flyway migrations, answers and feedback land in it. Skipped with a message when PostgreSQL is
 * not running, failed under CI=true.
 */
class PostgresLogTest {
  private static final String SCHEMA = "lakerank_serving_test";
  private static final String URL = Postgres.URL;

  @TempDir Path directory;

  @BeforeAll
  static void requirePostgres() throws SQLException {
    Postgres.require("the prediction-log tests");
    try (Connection connection = Postgres.connect();
        Statement statement = connection.createStatement()) {
      statement.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
    }
  }

  @Test
  void migratesTheSchemaAndRecordsAnswersAndFeedback() throws Exception {
    ServingFixture world = ServingFixture.create(directory, "sqlite");
    Map<String, Object> properties = world.properties();
    properties.put("datasources.default.url", URL + "?currentSchema=" + SCHEMA);
    properties.put("datasources.default.username", "postgres");
    properties.put("flyway.datasources.default.schemas", SCHEMA);
    properties.put("flyway.datasources.default.create-schemas", true);
    try (EmbeddedServer server = ApplicationContext.run(EmbeddedServer.class, properties)) {
      Api api = new Api(server.getURL());
      String requestId = api.get("/v1/recommendations/5?k=3").json().path("request_id").asText();
      assertThat(api.post("/v1/rank", "{\"user_id\": 6, \"item_ids\": [110, 111]}").status())
          .isEqualTo(200);
      assertThat(
              api.post(
                      "/v1/feedback",
                      "{\"request_id\": \""
                          + requestId
                          + "\", \"item_id\": 110, \"event\": \"purchase\", "
                          + "\"value\": 19.5}")
                  .status())
          .isEqualTo(202);

      try (Connection connection = DriverManager.getConnection(URL, "postgres", "");
          Statement statement = connection.createStatement()) {
        await()
            .atMost(Duration.ofSeconds(10))
            .untilAsserted(
                () -> {
                  try (ResultSet rows =
                      statement.executeQuery(
                          "SELECT endpoint, user_id, recommender, ranker, fallback, items, "
                              + "latency_micros FROM "
                              + SCHEMA
                              + ".prediction_log WHERE request_id = '"
                              + requestId
                              + "'")) {
                    assertThat(rows.next()).isTrue();
                    assertThat(rows.getString("endpoint")).isEqualTo("recommendations");
                    assertThat(rows.getLong("user_id")).isEqualTo(5);
                    assertThat(rows.getString("recommender")).isEqualTo("recommender@1");
                    assertThat(rows.getString("ranker")).isEqualTo("ranker@1");
                    assertThat(rows.getBoolean("fallback")).isFalse();
                    assertThat(rows.getString("items")).matches("\\[\\d+,\\d+,\\d+\\]");
                    assertThat(rows.getLong("latency_micros")).isPositive();
                  }
                  try (ResultSet rows =
                      statement.executeQuery(
                          "SELECT count(*) FROM " + SCHEMA + ".prediction_log")) {
                    rows.next();
                    assertThat(rows.getLong(1)).isEqualTo(2);
                  }
                  try (ResultSet rows =
                      statement.executeQuery(
                          "SELECT item_id, event, event_value FROM " + SCHEMA + ".feedback")) {
                    assertThat(rows.next()).isTrue();
                    assertThat(rows.getLong(1)).isEqualTo(110);
                    assertThat(rows.getString(2)).isEqualTo("purchase");
                    assertThat(rows.getDouble(3)).isEqualTo(19.5);
                  }
                });
        try (ResultSet rows =
            statement.executeQuery(
                "SELECT version FROM "
                    + SCHEMA
                    + ".flyway_schema_history WHERE success AND version IS NOT NULL")) {
          assertThat(rows.next()).isTrue();
          assertThat(rows.getString(1)).isEqualTo("1");
        }
      }
    }
  }
}
