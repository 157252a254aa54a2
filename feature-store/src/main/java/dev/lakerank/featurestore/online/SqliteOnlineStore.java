package dev.lakerank.featurestore.online;

import static java.util.Objects.requireNonNull;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.lakerank.featurestore.errors.FeatureStoreErrors;
import dev.lakerank.featurestore.format.EntityKeys;
import dev.lakerank.featurestore.format.FeatureValues;
import feast.proto.types.ValueProto.Value;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Feast's SQLite online store (FEAST_FORMATS.md section 3): a table {@code "<project>_<view>"} per
 * view with one row per entity and feature, {@code entity_key} the serialized key without the
 * project, {@code value} a serialized {@code feast.types.Value}, event and created times as integer
 * Unix seconds.
 *
 * <p>Unlike Feast's own SQLite writer, which overwrites unconditionally, a write skips a row whose
 * event time (in whole seconds, as stored) is not later than the stored one. Reads take one query
 * per view. Connections are pooled; the file is in WAL mode so reads go on while a job writes.
 */
public final class SqliteOnlineStore implements OnlineStore {
  /** Keys per {@code IN (...)} list; well under SQLite's limit of bound parameters. */
  private static final int KEYS_PER_QUERY = 500;

  private final Path file;
  private final String project;
  private final BlockingQueue<Connection> pool;
  private final List<Connection> all = new ArrayList<>();

  /**
   * Opens (creating it and its directory if needed) the store in {@code file}.
   *
   * @param connections how many connections to pool, as many as concurrent callers
   */
  public SqliteOnlineStore(Path file, String project, int connections) {
    this.file = requireNonNull(file, "file").toAbsolutePath();
    this.project = requireNonNull(project, "project");
    this.pool = new ArrayBlockingQueue<>(connections);
    try {
      Files.createDirectories(this.file.getParent());
      for (int i = 0; i < connections; i++) {
        Connection connection = DriverManager.getConnection("jdbc:sqlite:" + this.file);
        try (Statement statement = connection.createStatement()) {
          statement.execute("PRAGMA busy_timeout = 60000");
          statement.execute("PRAGMA journal_mode = WAL");
          statement.execute("PRAGMA synchronous = NORMAL");
        }
        all.add(connection);
        pool.add(connection);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot create the directory of the SQLite online store " + this.file, e);
    } catch (SQLException e) {
      close();
      throw FeatureStoreErrors.storeUnavailable(
          "cannot open the SQLite online store " + this.file + ": " + e.getMessage(), e);
    }
  }

  /** Feast's table name of a view: {@code <project>_<view>}. */
  public static String tableName(String project, String view) {
    return project + "_" + view;
  }

  @Override
  public void prepare(Collection<OnlineView> views) {
    withConnection(
        connection -> {
          try (Statement statement = connection.createStatement()) {
            for (OnlineView view : views) {
              String table = quote(tableName(project, view.name()));
              statement.execute(
                  "CREATE TABLE IF NOT EXISTS "
                      + table
                      + " (entity_key BLOB, feature_name TEXT, value BLOB, value_text TEXT, value_num REAL, vector_value BLOB,"
                      + " event_ts timestamp, created_ts timestamp, PRIMARY KEY(entity_key, feature_name))");
              statement.execute(
                  "CREATE INDEX IF NOT EXISTS "
                      + quote(tableName(project, view.name()) + "_ek")
                      + " ON "
                      + table
                      + " (entity_key)");
            }
          }
          return null;
        });
  }

  @Override
  public long teardown(Collection<OnlineView> views) {
    return withConnection(
        connection -> {
          long dropped = 0;
          try (Statement statement = connection.createStatement()) {
            for (OnlineView view : views) {
              String table = tableName(project, view.name());
              try (ResultSet exists =
                  statement.executeQuery(
                      "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = '"
                          + table.replace("'", "''")
                          + "'")) {
                dropped += exists.next() ? exists.getLong(1) : 0;
              }
              statement.execute("DROP TABLE IF EXISTS " + quote(table));
            }
          }
          return dropped;
        });
  }

  @Override
  public WriteResult write(OnlineView view, List<OnlineRow> rows, WriteRule rule) {
    if (rows.isEmpty()) {
      return new WriteResult(0, 0);
    }
    rows.forEach(view::check);
    String table = quote(tableName(project, view.name()));
    String sql =
        "INSERT INTO "
            + table
            + " (entity_key, feature_name, value, value_text, value_num, event_ts, created_ts) VALUES (?, ?, ?, ?, ?, ?, ?)"
            + " ON CONFLICT(entity_key, feature_name) DO UPDATE SET value = excluded.value, value_text = excluded.value_text,"
            + " value_num = excluded.value_num, event_ts = excluded.event_ts, created_ts = excluded.created_ts"
            + " WHERE excluded.event_ts "
            + (rule == WriteRule.NOT_OLDER ? ">=" : ">")
            + " "
            + table
            + ".event_ts";
    return withConnection(
        connection -> {
          boolean autoCommit = connection.getAutoCommit();
          connection.setAutoCommit(false);
          long written = 0;
          try (PreparedStatement insert = connection.prepareStatement(sql)) {
            List<Integer> featuresPerRow = new ArrayList<>(rows.size());
            for (OnlineRow row : rows) {
              byte[] key = EntityKeys.serialize(row.entityKey(), EntityKeys.DEFAULT_VERSION);
              long eventSeconds = row.eventTime().getEpochSecond();
              for (Map.Entry<String, Value> feature : row.values().entrySet()) {
                Value value = feature.getValue();
                insert.setBytes(1, key);
                insert.setString(2, feature.getKey());
                insert.setBytes(3, value.toByteArray());
                insert.setString(4, FeatureValues.text(value));
                Double number = number(value);
                if (number == null) {
                  insert.setNull(5, java.sql.Types.REAL);
                } else {
                  insert.setDouble(5, number);
                }
                insert.setLong(6, eventSeconds);
                if (row.createdTime() == null) {
                  insert.setNull(7, java.sql.Types.INTEGER);
                } else {
                  insert.setLong(7, row.createdTime().getEpochSecond());
                }
                insert.addBatch();
              }
              featuresPerRow.add(row.values().size());
            }
            int[] counts = insert.executeBatch();
            connection.commit();
            int at = 0;
            for (int features : featuresPerRow) {
              boolean any = false;
              for (int i = 0; i < features; i++) {
                any |= counts[at + i] != 0;
              }
              at += features;
              written += any ? 1 : 0;
            }
          } catch (SQLException e) {
            connection.rollback();
            throw e;
          } finally {
            connection.setAutoCommit(autoCommit);
          }
          return new WriteResult(written, rows.size() - written);
        });
  }

  @Override
  public List<List<StoredRow>> read(List<ViewRead> reads) {
    return withConnection(
        connection -> {
          List<List<StoredRow>> results = new ArrayList<>(reads.size());
          for (ViewRead read : reads) {
            results.add(readView(connection, read));
          }
          return results;
        });
  }

  private List<StoredRow> readView(Connection connection, ViewRead read) throws SQLException {
    int n = read.entityKeys().size();
    Map<ByteBuffer, List<Integer>> positions = new HashMap<>();
    for (int i = 0; i < n; i++) {
      positions
          .computeIfAbsent(ByteBuffer.wrap(read.entityKeys().get(i)), k -> new ArrayList<>())
          .add(i);
    }
    Map<String, Value>[] values = newMaps(n);
    Instant[] times = new Instant[n];
    List<ByteBuffer> keys = new ArrayList<>(positions.keySet());
    String table = quote(tableName(project, read.view().name()));
    String featureList = String.join(", ", Collections.nCopies(read.features().size(), "?"));
    for (int from = 0; from < keys.size(); from += KEYS_PER_QUERY) {
      List<ByteBuffer> chunk = keys.subList(from, Math.min(keys.size(), from + KEYS_PER_QUERY));
      String sql =
          "SELECT entity_key, feature_name, value, event_ts FROM "
              + table
              + " WHERE entity_key IN ("
              + String.join(", ", Collections.nCopies(chunk.size(), "?"))
              + ") AND feature_name IN ("
              + featureList
              + ")";
      try (PreparedStatement select = connection.prepareStatement(sql)) {
        int parameter = 1;
        for (ByteBuffer key : chunk) {
          select.setBytes(parameter++, key.array());
        }
        for (String feature : read.features()) {
          select.setString(parameter++, feature);
        }
        try (ResultSet rows = select.executeQuery()) {
          while (rows.next()) {
            Value value = parseValue(rows.getBytes(3), read.view().name(), rows.getString(2));
            long eventSeconds = rows.getLong(4);
            Instant eventTime = rows.wasNull() ? null : Instant.ofEpochSecond(eventSeconds);
            for (int i : positions.get(ByteBuffer.wrap(rows.getBytes(1)))) {
              if (values[i] == null) {
                values[i] = new HashMap<>();
              }
              values[i].put(rows.getString(2), value);
              if (eventTime != null && (times[i] == null || eventTime.isAfter(times[i]))) {
                times[i] = eventTime;
              }
            }
          }
        }
      } catch (SQLException e) {
        if (e.getMessage() != null && e.getMessage().contains("no such table")) {
          // a view that was never materialized holds nothing
          break;
        }
        throw e;
      }
    }
    List<StoredRow> result = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      result.add(values[i] == null ? null : new StoredRow(values[i], times[i]));
    }
    return result;
  }

  @Override
  public void ping() {
    withConnection(
        connection -> {
          try (Statement statement = connection.createStatement()) {
            statement.executeQuery("SELECT 1").close();
          }
          return null;
        });
  }

  @Override
  public String describe() {
    return "sqlite " + file;
  }

  @Override
  public void close() {
    for (Connection connection : all) {
      try {
        connection.close();
      } catch (SQLException ignored) {
        // closing: nothing left to do with it
      }
    }
    all.clear();
    pool.clear();
  }

  private interface Work<T> {
    T run(Connection connection) throws SQLException;
  }

  private <T> T withConnection(Work<T> work) {
    Connection connection;
    try {
      connection = pool.take();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw FeatureStoreErrors.storeUnavailable(
          "interrupted while waiting for a connection to " + file, e);
    }
    try {
      return work.run(connection);
    } catch (SQLException e) {
      throw FeatureStoreErrors.storeUnavailable(
          "SQLite online store " + file + ": " + e.getMessage(), e);
    } finally {
      pool.add(connection);
    }
  }

  private static Value parseValue(byte[] bytes, String view, String feature) {
    try {
      return bytes == null ? FeatureValues.nullValue() : Value.parseFrom(bytes);
    } catch (InvalidProtocolBufferException e) {
      throw FeatureStoreErrors.invalidRow(
          "the stored value of " + view + ":" + feature + " is not a feast.types.Value", e);
    }
  }

  private static Double number(Value value) {
    switch (value.getValCase()) {
      case INT64_VAL:
        return (double) value.getInt64Val();
      case INT32_VAL:
        return (double) value.getInt32Val();
      case DOUBLE_VAL:
        return value.getDoubleVal();
      case FLOAT_VAL:
        return (double) value.getFloatVal();
      default:
        return null;
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Value>[] newMaps(int n) {
    return (Map<String, Value>[]) new Map[n];
  }

  private static String quote(String identifier) {
    return "\"" + identifier.replace("\"", "\"\"") + "\"";
  }
}
