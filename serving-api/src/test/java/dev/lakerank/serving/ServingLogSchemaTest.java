package dev.lakerank.serving;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lakerank.contract.messages.FeedbackMessage;
import dev.lakerank.contract.messages.FieldType;
import dev.lakerank.contract.messages.MessageField;
import dev.lakerank.contract.messages.MessageSchema;
import dev.lakerank.contract.messages.PredictionMessage;
import dev.lakerank.serving.testing.Postgres;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

/**
 * The serving database's log tables, as the Flyway migrations make them, hold the fields of the
 * messages they keep ({@link PredictionMessage}, {@link FeedbackMessage}): the same names in the
 * same order after the generated {@code id}, a column type for each field type, NOT NULL exactly
 * where the field is required. On H2 in PostgreSQL mode (the default database) and on the real
 * PostgreSQL.
 */
class ServingLogSchemaTest {
  /** The SQL types a field type may be stored as (JDBC type names, upper case). */
  private static final Map<FieldType, List<String>> SQL_TYPES =
      Map.of(
          FieldType.STRING,
              List.of("VARCHAR", "CHARACTER VARYING", "TEXT", "CHARACTER LARGE OBJECT"),
          FieldType.LONG, List.of("BIGINT", "INT8"),
          FieldType.DOUBLE, List.of("DOUBLE PRECISION", "DOUBLE", "FLOAT8"),
          FieldType.BOOLEAN, List.of("BOOLEAN", "BOOL"),
          FieldType.TIMESTAMP, List.of("TIMESTAMP WITH TIME ZONE", "TIMESTAMPTZ"),
          // the lists are kept as their JSON text
          FieldType.LONG_ARRAY, List.of("TEXT", "CHARACTER LARGE OBJECT", "CHARACTER VARYING"),
          FieldType.DOUBLE_ARRAY, List.of("TEXT", "CHARACTER LARGE OBJECT", "CHARACTER VARYING"));

  @Test
  void theMigratedH2TablesHoldTheMessagesFields() throws SQLException {
    String url =
        "jdbc:h2:mem:schema-"
            + UUID.randomUUID()
            + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DB_CLOSE_DELAY=-1";
    migrate(url, "sa", null);
    try (Connection connection = DriverManager.getConnection(url, "sa", "")) {
      assertHolds(connection, null, "prediction_log", PredictionMessage.SCHEMA);
      assertHolds(connection, null, "feedback", FeedbackMessage.SCHEMA);
    }
  }

  @Test
  void theMigratedPostgresTablesHoldTheMessagesFields() throws SQLException {
    Postgres.require("the serving database schema test");
    String schema = "lakerank_schema_test";
    try (Connection connection = Postgres.connect();
        Statement statement = connection.createStatement()) {
      statement.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    }
    migrate(Postgres.URL, Postgres.USER, schema);
    try (Connection connection = Postgres.connect()) {
      assertHolds(connection, schema, "prediction_log", PredictionMessage.SCHEMA);
      assertHolds(connection, schema, "feedback", FeedbackMessage.SCHEMA);
    }
  }

  private static void migrate(String url, String user, String schema) {
    var configuration =
        Flyway.configure().dataSource(url, user, "").locations("classpath:db/migration");
    if (schema != null) {
      configuration.schemas(schema).createSchemas(true);
    }
    configuration.load().migrate();
  }

  private static void assertHolds(
      Connection connection, String schema, String table, MessageSchema message)
      throws SQLException {
    List<String> names = new ArrayList<>();
    List<String> types = new ArrayList<>();
    List<Boolean> nullable = new ArrayList<>();
    DatabaseMetaData metadata = connection.getMetaData();
    try (ResultSet columns = metadata.getColumns(null, schema, table, null)) {
      while (columns.next()) {
        names.add(columns.getString("COLUMN_NAME").toLowerCase(Locale.ROOT));
        types.add(columns.getString("TYPE_NAME").toUpperCase(Locale.ROOT));
        nullable.add(columns.getInt("NULLABLE") == DatabaseMetaData.columnNullable);
      }
    }
    assertThat(names).as("columns of %s", table).isNotEmpty();
    assertThat(names.get(0)).as("the generated key of %s", table).isEqualTo("id");
    assertThat(names.subList(1, names.size()))
        .as("the columns of %s after id", table)
        .isEqualTo(message.fieldNames());
    for (int i = 0; i < message.fields().size(); i++) {
      MessageField field = message.fields().get(i);
      assertThat(SQL_TYPES.get(field.type()))
          .as("the type of %s.%s (%s)", table, field.name(), field.type())
          .contains(types.get(i + 1));
      assertThat(nullable.get(i + 1))
          .as("%s.%s takes nulls", table, field.name())
          .isEqualTo(!field.required());
    }
  }
}
