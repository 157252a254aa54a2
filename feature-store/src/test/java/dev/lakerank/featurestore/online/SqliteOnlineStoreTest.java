package dev.lakerank.featurestore.online;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.lakerank.featurestore.errors.OnlineStoreException;
import feast.proto.types.ValueProto.Value;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The SQLite store on a real file, in Feast's layout (FEAST_FORMATS.md section 3). */
class SqliteOnlineStoreTest extends OnlineStoreContract {
  private static final HexFormat HEX = HexFormat.of();

  /** v3 key of user_id = int64 7, written by hand from section 1. */
  private static final String USER_7 =
      "01000000"
          + "02000000"
          + "07000000"
          + "757365725f6964"
          + "04000000"
          + "08000000"
          + "0700000000000000";

  @TempDir Path directory;

  @Override
  protected OnlineStore openStore(String project) {
    return new SqliteOnlineStore(directory.resolve("data/online.db"), project, 2);
  }

  @Test
  void preparesFeastsTableAndIndexPerView() throws SQLException {
    store.prepare(List.of(USER_ACTIVITY));

    String table = project + "_user_activity";
    assertThat(
            query(
                "SELECT type, name, tbl_name FROM sqlite_master WHERE tbl_name = ? AND name NOT LIKE 'sqlite_autoindex%' ORDER BY type",
                table))
        .containsExactly(tuple("index", table + "_ek", table), tuple("table", table, table));
    assertThat(query("SELECT name FROM pragma_index_info(?)", table + "_ek"))
        .containsExactly(tuple("entity_key"));
    assertThat(query("SELECT name, type, pk FROM pragma_table_info(?) ORDER BY cid", table))
        .containsExactly(
            tuple("entity_key", "BLOB", 1L),
            tuple("feature_name", "TEXT", 2L),
            tuple("value", "BLOB", 0L),
            tuple("value_text", "TEXT", 0L),
            tuple("value_num", "REAL", 0L),
            tuple("vector_value", "BLOB", 0L),
            tuple("event_ts", "timestamp", 0L),
            tuple("created_ts", "timestamp", 0L));
    assertThat(query("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"))
        .containsExactly(
            tuple(project + "_item_popularity"), tuple(project + "_item_profile"), tuple(table));
  }

  @Test
  void writesOneRowPerFeatureKeyedByTheEntityKeyWithoutTheProject() throws SQLException {
    store.write(
        USER_ACTIVITY,
        List.of(
            row(
                user(7),
                T0.plusMillis(900),
                "clicks_7d",
                12L,
                "ctr_7d",
                0.125,
                "last_category",
                null)));

    List<Tuple> rows =
        query(
            "SELECT hex(entity_key), feature_name, hex(value), value_text, value_num, event_ts, typeof(event_ts),"
                + " created_ts FROM \""
                + project
                + "_user_activity\" ORDER BY feature_name");

    long seconds = T0.getEpochSecond();
    assertThat(rows)
        .containsExactly(
            tuple(
                USER_7.toUpperCase(),
                "clicks_7d",
                hex(value(12L)),
                "12",
                12.0,
                seconds,
                "integer",
                seconds + 5),
            tuple(
                USER_7.toUpperCase(),
                "ctr_7d",
                hex(value(0.125)),
                "0.125",
                0.125,
                seconds,
                "integer",
                seconds + 5),
            tuple(
                USER_7.toUpperCase(),
                "last_category",
                "",
                null,
                null,
                seconds,
                "integer",
                seconds + 5));
  }

  @Test
  void keepsWholeSecondsSoALaterEventInTheSameSecondIsSkipped() {
    store.write(USER_ACTIVITY, List.of(row(user(7), T0.plusMillis(100), "clicks_7d", 1L)));

    OnlineStore.WriteResult result =
        store.write(USER_ACTIVITY, List.of(row(user(7), T0.plusMillis(900), "clicks_7d", 2L)));

    assertThat(result).isEqualTo(new OnlineStore.WriteResult(0, 1));
    assertThat(readOne(USER_ACTIVITY, List.of("clicks_7d"), user(7)))
        .containsExactly(new StoredRow(values("clicks_7d", 1L), T0));
  }

  @Test
  void readsRowsFeastsPythonWriterLeft() throws SQLException {
    // as Feast's sqlite.py writes: no value_num, event_ts in seconds, the key without the project
    try (Connection connection = connect();
        PreparedStatement insert =
            connection.prepareStatement(
                "INSERT INTO \""
                    + project
                    + "_user_activity\""
                    + " (entity_key, feature_name, value, value_text, event_ts, created_ts) VALUES (?, ?, ?, ?, ?, ?)")) {
      for (Object[] feature :
          new Object[][] {{"clicks_7d", value(3L), "3"}, {"ctr_7d", value(0.5), "0.5"}}) {
        insert.setBytes(1, HEX.parseHex(USER_7));
        insert.setString(2, (String) feature[0]);
        insert.setBytes(3, ((Value) feature[1]).toByteArray());
        insert.setString(4, (String) feature[2]);
        insert.setLong(5, T0.getEpochSecond());
        insert.setLong(6, T0.getEpochSecond());
        insert.executeUpdate();
      }
    }

    assertThat(readOne(USER_ACTIVITY, List.of("clicks_7d", "ctr_7d", "last_category"), user(7)))
        .containsExactly(new StoredRow(values("clicks_7d", 3L, "ctr_7d", 0.5), T0));
  }

  @Test
  void prepareIsIdempotentAndKeepsRows() {
    store.write(USER_ACTIVITY, List.of(row(user(7), T0, "clicks_7d", 12L)));

    store.prepare(List.of(USER_ACTIVITY, ITEM_POPULARITY, ITEM_PROFILE));

    assertThat(readOne(USER_ACTIVITY, List.of("clicks_7d"), user(7)))
        .containsExactly(new StoredRow(values("clicks_7d", 12L), T0));
  }

  @Test
  void writingAViewThatWasNeverPreparedNamesTheFile() {
    assertThatThrownBy(() -> store.write(NEVER_WRITTEN, List.of(row(item(1), T0, "n", 1L))))
        .isInstanceOf(OnlineStoreException.class)
        .hasMessageContaining(
            "SQLite online store " + directory.resolve("data/online.db").toAbsolutePath())
        .hasMessageContaining("no such table");
  }

  @Test
  void describesItselfByItsFile() {
    store.ping();
    assertThat(store.describe())
        .isEqualTo("sqlite " + directory.resolve("data/online.db").toAbsolutePath());
  }

  private Connection connect() throws SQLException {
    return DriverManager.getConnection("jdbc:sqlite:" + directory.resolve("data/online.db"));
  }

  private List<Tuple> query(String sql, Object... parameters) throws SQLException {
    try (Connection connection = connect();
        PreparedStatement statement = connection.prepareStatement(sql)) {
      for (int i = 0; i < parameters.length; i++) {
        statement.setObject(i + 1, parameters[i]);
      }
      List<Tuple> rows = new ArrayList<>();
      try (ResultSet result = statement.executeQuery()) {
        int columns = result.getMetaData().getColumnCount();
        while (result.next()) {
          Object[] row = new Object[columns];
          for (int c = 0; c < columns; c++) {
            Object value = result.getObject(c + 1);
            // the driver gives Integer or Long by magnitude; compare integers as Long
            row[c] = value instanceof Integer ? Long.valueOf((Integer) value) : value;
          }
          rows.add(new Tuple(row));
        }
      }
      return rows;
    }
  }

  private static String hex(Value value) {
    return HEX.withUpperCase().formatHex(value.toByteArray());
  }
}
