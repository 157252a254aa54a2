package dev.lakerank.featurestore.testing;

import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * The real Redis the tests run against, at {@code 127.0.0.1:6379} (developer and CI machines run
 * one). A test class calls {@link #require()} in {@code @BeforeAll}: when Redis does not answer,
 * its tests are skipped on a developer's machine and fail when the environment has {@code CI=true},
 * so CI never passes by skipping them.
 *
 * <p>Tests give their data a unique project ({@link #uniqueProject()}) and remove it afterwards
 * with {@link #deleteProject(String)}, so they share the server with anything else.
 *
 * <pre>{@code
 * static RedisServer redis;
 * @BeforeAll static void redis() { redis = RedisServer.require(); }
 * @AfterAll static void close() { redis.close(); }
 * }</pre>
 */
public final class RedisServer implements AutoCloseable {
  public static final String HOST = "127.0.0.1";
  public static final int PORT = 6379;
  private static final Duration TIMEOUT = Duration.ofSeconds(5);

  private final String host;
  private final int port;
  private final RedisClient client;
  private final StatefulRedisConnection<byte[], byte[]> connection;

  private RedisServer(
      String host,
      int port,
      RedisClient client,
      StatefulRedisConnection<byte[], byte[]> connection) {
    this.host = host;
    this.port = port;
    this.client = client;
    this.connection = connection;
  }

  /** The server at 127.0.0.1:6379, or a skipped (failed on CI) test when it does not answer. */
  public static RedisServer require() {
    return require(HOST, PORT, System.getenv());
  }

  /**
   * The server at {@code host:port}; when it does not answer, aborts the calling test (a skip), or
   * fails it when {@code environment} has {@code CI=true}.
   */
  public static RedisServer require(String host, int port, Map<String, String> environment) {
    RedisClient client =
        RedisClient.create(
            RedisURI.builder().withHost(host).withPort(port).withTimeout(TIMEOUT).build());
    try {
      StatefulRedisConnection<byte[], byte[]> connection = client.connect(ByteArrayCodec.INSTANCE);
      connection.sync().ping();
      return new RedisServer(host, port, client, connection);
    } catch (RuntimeException e) {
      client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
      String problem = "Redis not reachable at " + host + ":" + port + "; ";
      String start =
          "start one with `redis-server --port " + port + " --save \"\"` (" + e.getMessage() + ")";
      if ("true".equalsIgnoreCase(environment.getOrDefault("CI", ""))) {
        return Assertions.fail(
            problem + "CI=true, so the Redis online store tests must run: " + start);
      }
      return Assumptions.abort(
          problem + "skipping the Redis tests (they fail instead when CI=true): " + start);
    }
  }

  /** A project name no other test run uses: {@code t} and random hex digits. */
  public static String uniqueProject() {
    return "t" + Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE);
  }

  /** Feast's connection string of this server, {@code host:port}. */
  public String connectionString() {
    return host + ":" + port;
  }

  /** Raw commands with byte-array keys and values, to look at Feast's layout. */
  public RedisCommands<byte[], byte[]> commands() {
    return connection.sync();
  }

  /** Deletes every key of {@code project}: Feast's keys end with the project's name. */
  public long deleteProject(String project) {
    RedisCommands<byte[], byte[]> redis = connection.sync();
    ScanArgs match = ScanArgs.Builder.matches("*" + project).limit(1000);
    long deleted = 0;
    ScanCursor cursor = ScanCursor.INITIAL;
    do {
      KeyScanCursor<byte[]> page = redis.scan(cursor, match);
      if (!page.getKeys().isEmpty()) {
        deleted += redis.del(page.getKeys().toArray(byte[][]::new));
      }
      cursor = page;
    } while (!cursor.isFinished());
    return deleted;
  }

  /** The number of keys of {@code project}. */
  public long countKeys(String project) {
    RedisCommands<byte[], byte[]> redis = connection.sync();
    ScanArgs match = ScanArgs.Builder.matches("*" + project).limit(1000);
    long count = 0;
    ScanCursor cursor = ScanCursor.INITIAL;
    do {
      KeyScanCursor<byte[]> page = redis.scan(cursor, match);
      count += page.getKeys().size();
      cursor = page;
    } while (!cursor.isFinished());
    return count;
  }

  @Override
  public void close() {
    connection.close();
    client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
  }
}
