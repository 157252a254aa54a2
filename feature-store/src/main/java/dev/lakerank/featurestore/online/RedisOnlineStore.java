package dev.lakerank.featurestore.online;

import static java.util.Objects.requireNonNull;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Timestamp;
import dev.lakerank.featurestore.errors.FeatureStoreErrors;
import dev.lakerank.featurestore.errors.OnlineStoreException;
import dev.lakerank.featurestore.format.EntityKeys;
import dev.lakerank.featurestore.format.FeatureValues;
import dev.lakerank.featurestore.format.RedisLayout;
import feast.proto.types.ValueProto.Value;
import io.lettuce.core.KeyValue;
import io.lettuce.core.LettuceFutures;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Feast's Redis online store (FEAST_FORMATS.md section 2): a hash per entity key and project
 * holding every view of that entity, one field per feature (murmur3 of {@code "<view>:<feature>"})
 * and {@code _ts:<view>} with the event time as a protobuf Timestamp.
 *
 * <p>Writes follow Feast: the stored {@code _ts} is read first and a row not later than it is
 * skipped ({@link WriteRule#NOT_OLDER}: not earlier); then one HSET per row (and EXPIRE when {@code
 * key_ttl_seconds} is set), pipelined. Reads send one HMGET per entity, every view of that entity
 * in the same command, all pipelined on one connection: one round trip for a user and 200 items.
 */
public final class RedisOnlineStore implements OnlineStore {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private final String connectionString;
  private final String project;
  private final Integer keyTtlSeconds;
  private final RedisClient client;
  private final StatefulRedisConnection<byte[], byte[]> connection;

  /** Writes go through their own connection that flushes once per batch rather than per command. */
  private StatefulRedisConnection<byte[], byte[]> writer;

  /**
   * Connects to Redis.
   *
   * @param connectionString Feast's form: {@code host:port[,password=...][,ssl=true][,db=N]}
   * @param keyTtlSeconds Feast's {@code key_ttl_seconds}, or null for keys that never expire
   * @throws OnlineStoreException naming the server when it cannot be reached
   */
  public RedisOnlineStore(String connectionString, String project, Integer keyTtlSeconds) {
    this.connectionString = requireNonNull(connectionString, "connectionString");
    this.project = requireNonNull(project, "project");
    this.keyTtlSeconds = keyTtlSeconds;
    this.client = RedisClient.create(uri(connectionString));
    try {
      this.connection = client.connect(ByteArrayCodec.INSTANCE);
    } catch (RuntimeException e) {
      client.shutdown();
      throw FeatureStoreErrors.storeUnavailable(
          "cannot connect to the Redis online store at "
              + connectionString
              + ": "
              + e.getMessage()
              + "; check online_store.connection_string in feature_store.yaml and that Redis runs",
          e);
    }
  }

  /** Parses Feast's Redis connection string. */
  static RedisURI uri(String connectionString) {
    String[] parts = connectionString.split(",");
    String[] hostPort = parts[0].trim().split(":");
    if (hostPort.length != 2 || hostPort[0].isEmpty()) {
      throw FeatureStoreErrors.storeConfiguration(
          "Redis connection_string `"
              + connectionString
              + "` must start with host:port, such as 127.0.0.1:6379");
    }
    RedisURI.Builder uri;
    try {
      uri =
          RedisURI.builder()
              .withHost(hostPort[0])
              .withPort(Integer.parseInt(hostPort[1]))
              .withTimeout(TIMEOUT);
    } catch (NumberFormatException e) {
      throw FeatureStoreErrors.storeConfiguration(
          "Redis connection_string `" + connectionString + "` has a port that is not a number");
    }
    for (int i = 1; i < parts.length; i++) {
      String[] option = parts[i].trim().split("=", 2);
      String name = option[0].trim();
      String value = option.length == 2 ? option[1].trim() : "";
      switch (name) {
        case "password":
          uri.withPassword(value.toCharArray());
          break;
        case "ssl":
          uri.withSsl(Boolean.parseBoolean(value));
          break;
        case "db":
          uri.withDatabase(Integer.parseInt(value));
          break;
        default:
          throw FeatureStoreErrors.storeConfiguration(
              "Redis connection_string option `"
                  + name
                  + "` is not supported; use password, ssl or db");
      }
    }
    return uri.build();
  }

  @Override
  public void prepare(Collection<OnlineView> views) {
    // Redis needs no schema
  }

  private StatefulRedisConnection<byte[], byte[]> writer() {
    if (writer == null) {
      writer = client.connect(ByteArrayCodec.INSTANCE);
      writer.setAutoFlushCommands(false);
    }
    return writer;
  }

  @Override
  public long teardown(Collection<OnlineView> views) {
    io.lettuce.core.api.sync.RedisCommands<byte[], byte[]> redis = connection.sync();
    io.lettuce.core.ScanArgs match =
        io.lettuce.core.ScanArgs.Builder.matches("*" + project).limit(10_000);
    long deleted = 0;
    io.lettuce.core.ScanCursor cursor = io.lettuce.core.ScanCursor.INITIAL;
    do {
      io.lettuce.core.KeyScanCursor<byte[]> page = redis.scan(cursor, match);
      if (!page.getKeys().isEmpty()) {
        deleted += redis.unlink(page.getKeys().toArray(byte[][]::new));
      }
      cursor = page;
    } while (!cursor.isFinished());
    return deleted;
  }

  @Override
  public synchronized WriteResult write(OnlineView view, List<OnlineRow> rows, WriteRule rule) {
    if (rows.isEmpty()) {
      return new WriteResult(0, 0);
    }
    rows.forEach(view::check);
    StatefulRedisConnection<byte[], byte[]> writer = writer();
    // within a batch, the latest row per entity wins, as in Feast
    Map<ByteBuffer, OnlineRow> latest = new LinkedHashMap<>();
    for (OnlineRow row : rows) {
      ByteBuffer key =
          ByteBuffer.wrap(
              RedisLayout.key(
                  EntityKeys.serialize(row.entityKey(), EntityKeys.DEFAULT_VERSION), project));
      latest.merge(key, row, (a, b) -> newer(b, a.eventTime(), rule) ? b : a);
    }
    byte[] tsField = RedisLayout.timestampField(view.name());
    RedisAsyncCommands<byte[], byte[]> redis = writer.async();
    List<ByteBuffer> keys = new ArrayList<>(latest.keySet());
    List<RedisFuture<byte[]>> stored = new ArrayList<>(keys.size());
    for (ByteBuffer key : keys) {
      stored.add(redis.hget(key.array(), tsField));
    }
    writer.flushCommands();
    await(stored);

    Map<String, byte[]> fields = new HashMap<>();
    for (var feature : view.features()) {
      fields.put(feature.name(), RedisLayout.featureField(view.name(), feature.name()));
    }
    List<RedisFuture<?>> writes = new ArrayList<>();
    long written = 0;
    for (int i = 0; i < keys.size(); i++) {
      OnlineRow row = latest.get(keys.get(i));
      Instant current = instant(stored.get(i));
      if (current != null && !newer(row, current, rule)) {
        continue;
      }
      Map<byte[], byte[]> hash = new LinkedHashMap<>();
      for (Map.Entry<String, Value> value : row.values().entrySet()) {
        byte[] field = fields.get(value.getKey());
        if (field == null) {
          throw FeatureStoreErrors.invalidRow(
              "feature view `" + view.name() + "` has no feature `" + value.getKey() + "`");
        }
        hash.put(field, value.getValue().toByteArray());
      }
      hash.put(tsField, FeatureValues.timestamp(row.eventTime()).toByteArray());
      byte[] key = keys.get(i).array();
      writes.add(redis.hset(key, hash));
      if (keyTtlSeconds != null) {
        writes.add(redis.expire(key, keyTtlSeconds));
      }
      written++;
    }
    writer.flushCommands();
    await(writes);
    return new WriteResult(written, rows.size() - written);
  }

  private static boolean newer(OnlineRow row, Instant than, WriteRule rule) {
    return rule == WriteRule.NOT_OLDER
        ? !row.eventTime().isBefore(than)
        : row.eventTime().isAfter(than);
  }

  @Override
  public List<List<StoredRow>> read(List<ViewRead> reads) {
    // one HMGET per entity key, covering every view read for that entity
    Map<ByteBuffer, List<int[]>> wanted = new LinkedHashMap<>();
    for (int r = 0; r < reads.size(); r++) {
      List<byte[]> keys = reads.get(r).entityKeys();
      for (int k = 0; k < keys.size(); k++) {
        wanted
            .computeIfAbsent(
                ByteBuffer.wrap(RedisLayout.key(keys.get(k), project)), x -> new ArrayList<>())
            .add(new int[] {r, k});
      }
    }
    List<byte[][]> viewFields = new ArrayList<>();
    for (ViewRead read : reads) {
      byte[][] fields = new byte[read.features().size() + 1][];
      for (int f = 0; f < read.features().size(); f++) {
        fields[f] = RedisLayout.featureField(read.view().name(), read.features().get(f));
      }
      fields[read.features().size()] = RedisLayout.timestampField(read.view().name());
      viewFields.add(fields);
    }
    RedisAsyncCommands<byte[], byte[]> redis = connection.async();
    List<ByteBuffer> keys = new ArrayList<>(wanted.keySet());
    List<RedisFuture<List<KeyValue<byte[], byte[]>>>> replies = new ArrayList<>(keys.size());
    for (ByteBuffer key : keys) {
      List<byte[]> fields = new ArrayList<>();
      for (int[] at : wanted.get(key)) {
        fields.addAll(List.of(viewFields.get(at[0])));
      }
      replies.add(redis.hmget(key.array(), fields.toArray(byte[][]::new)));
    }
    await(replies);

    List<List<StoredRow>> results = new ArrayList<>(reads.size());
    for (ViewRead read : reads) {
      List<StoredRow> rows = new ArrayList<>(read.entityKeys().size());
      for (int k = 0; k < read.entityKeys().size(); k++) {
        rows.add(null);
      }
      results.add(rows);
    }
    for (int i = 0; i < keys.size(); i++) {
      List<KeyValue<byte[], byte[]>> reply = done(replies.get(i));
      int offset = 0;
      for (int[] at : wanted.get(keys.get(i))) {
        ViewRead read = reads.get(at[0]);
        int features = read.features().size();
        Map<String, Value> values = new HashMap<>();
        for (int f = 0; f < features; f++) {
          KeyValue<byte[], byte[]> field = reply.get(offset + f);
          if (field.hasValue()) {
            values.put(
                read.features().get(f),
                parseValue(field.getValue(), read.view().name(), read.features().get(f)));
          }
        }
        KeyValue<byte[], byte[]> ts = reply.get(offset + features);
        Instant eventTime =
            ts.hasValue() ? parseTimestamp(ts.getValue(), read.view().name()) : null;
        offset += features + 1;
        if (eventTime != null || !values.isEmpty()) {
          results.get(at[0]).set(at[1], new StoredRow(values, eventTime));
        }
      }
    }
    return results;
  }

  @Override
  public void ping() {
    try {
      connection.sync().ping();
    } catch (RuntimeException e) {
      throw FeatureStoreErrors.storeUnavailable(
          "the Redis online store at " + connectionString + " does not answer: " + e.getMessage(),
          e);
    }
  }

  @Override
  public String describe() {
    // host:port only: the options may hold a password
    return "redis " + connectionString.split(",")[0];
  }

  @Override
  public synchronized void close() {
    if (writer != null) {
      writer.close();
    }
    connection.close();
    client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
  }

  private void await(List<? extends RedisFuture<?>> futures) {
    if (futures.isEmpty()) {
      return;
    }
    try {
      if (!LettuceFutures.awaitAll(TIMEOUT, futures.toArray(RedisFuture[]::new))) {
        throw FeatureStoreErrors.storeUnavailable(
            "the Redis online store at " + connectionString + " did not answer within " + TIMEOUT);
      }
    } catch (RuntimeException e) {
      if (e instanceof OnlineStoreException) {
        throw e;
      }
      throw FeatureStoreErrors.storeUnavailable(
          "the Redis online store at " + connectionString + " failed: " + e.getMessage(), e);
    }
  }

  /** The value of a future {@link #await} has seen complete. */
  private <T> T done(RedisFuture<T> future) {
    try {
      return future.get();
    } catch (java.util.concurrent.ExecutionException e) {
      throw FeatureStoreErrors.storeUnavailable(
          "the Redis online store at " + connectionString + " failed: " + e.getCause().getMessage(),
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw FeatureStoreErrors.storeUnavailable("interrupted while reading from Redis", e);
    }
  }

  private Instant instant(RedisFuture<byte[]> future) {
    byte[] bytes = done(future);
    return bytes == null ? null : parseTimestamp(bytes, "?");
  }

  private static Instant parseTimestamp(byte[] bytes, String view) {
    try {
      return FeatureValues.instant(Timestamp.parseFrom(bytes));
    } catch (InvalidProtocolBufferException e) {
      throw FeatureStoreErrors.invalidRow("_ts:" + view + " is not a protobuf Timestamp", e);
    }
  }

  private static Value parseValue(byte[] bytes, String view, String feature) {
    try {
      return Value.parseFrom(bytes);
    } catch (InvalidProtocolBufferException e) {
      throw FeatureStoreErrors.invalidRow(
          "the stored value of " + view + ":" + feature + " is not a feast.types.Value", e);
    }
  }
}
