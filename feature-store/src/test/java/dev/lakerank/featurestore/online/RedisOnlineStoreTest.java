package dev.lakerank.featurestore.online;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.common.hash.Hashing;
import com.google.protobuf.Timestamp;
import dev.lakerank.featurestore.errors.OnlineStoreException;
import dev.lakerank.featurestore.testing.RedisServer;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Redis store against the real server at 127.0.0.1:6379, in Feast's layout (FEAST_FORMATS.md
 * section 2), checked with raw commands. Each test writes under its own project and removes its
 * keys afterwards.
 */
class RedisOnlineStoreTest extends OnlineStoreContract {
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

  /** v3 key of item_id = int64 5. */
  private static final String ITEM_5 =
      "01000000"
          + "02000000"
          + "07000000"
          + "6974656d5f6964"
          + "04000000"
          + "08000000"
          + "0500000000000000";

  private static RedisServer redis;

  @BeforeAll
  static void requireRedis() {
    redis = RedisServer.require();
  }

  @AfterAll
  static void closeRedis() {
    if (redis != null) {
      redis.close();
    }
  }

  @AfterEach
  void deleteKeys() {
    // otherProject ends with project, so this removes both
    redis.deleteProject(project);
    assertThat(redis.countKeys(project)).isZero();
  }

  @Override
  protected OnlineStore openStore(String project) {
    return new RedisOnlineStore(redis.connectionString(), project, null);
  }

  @Test
  void writesOneHashPerEntityWithMurmurFieldsAndTheEventTime() {
    Instant eventTime = T0.plusNanos(123_456_789);
    store.write(
        USER_ACTIVITY,
        List.of(row(user(7), eventTime, "clicks_7d", 12L, "ctr_7d", 0.125, "last_category", null)));

    Map<String, String> hash =
        hgetall(HEX.parseHex(USER_7 + HEX.formatHex(project.getBytes(UTF_8))));

    assertThat(hash)
        .isEqualTo(
            Map.of(
                murmur("user_activity:clicks_7d"),
                HEX.formatHex(value(12L).toByteArray()),
                murmur("user_activity:ctr_7d"),
                HEX.formatHex(value(0.125).toByteArray()),
                murmur("user_activity:last_category"),
                "",
                HEX.formatHex("_ts:user_activity".getBytes(UTF_8)),
                HEX.formatHex(
                    Timestamp.newBuilder()
                        .setSeconds(T0.getEpochSecond())
                        .setNanos(123_456_789)
                        .build()
                        .toByteArray())));
    assertThat(redis.countKeys(project)).isEqualTo(1);
  }

  @Test
  void viewsOfOneEntityShareOneHash() {
    store.write(ITEM_POPULARITY, List.of(row(item(5), T0, "impressions_7d", 40L, "ctr_7d", 0.05)));
    store.write(
        ITEM_PROFILE, List.of(row(item(5), T0.plusSeconds(1), "category", "shoes", "price", 59.5)));

    Map<String, String> hash =
        hgetall(HEX.parseHex(ITEM_5 + HEX.formatHex(project.getBytes(UTF_8))));

    assertThat(redis.countKeys(project)).isEqualTo(1);
    assertThat(hash)
        .containsOnlyKeys(
            murmur("item_popularity:impressions_7d"),
            murmur("item_popularity:ctr_7d"),
            HEX.formatHex("_ts:item_popularity".getBytes(UTF_8)),
            murmur("item_profile:category"),
            murmur("item_profile:price"),
            HEX.formatHex("_ts:item_profile".getBytes(UTF_8)));
    // the views' ctr_7d and the view-less names do not collide: each field hashes
    // "<view>:<feature>"
    assertThat(hash.get(murmur("item_popularity:ctr_7d")))
        .isEqualTo(HEX.formatHex(value(0.05).toByteArray()));
  }

  @Test
  void anOlderRowLeavesTheStoredTimestampAlone() {
    byte[] key = HEX.parseHex(USER_7 + HEX.formatHex(project.getBytes(UTF_8)));
    store.write(USER_ACTIVITY, List.of(row(user(7), T0.plusNanos(2), "clicks_7d", 2L)));

    // a nanosecond earlier is older: Feast compares the full Timestamp
    assertThat(store.write(USER_ACTIVITY, List.of(row(user(7), T0.plusNanos(1), "clicks_7d", 1L))))
        .isEqualTo(new OnlineStore.WriteResult(0, 1));

    assertThat(redis.commands().hget(key, "_ts:user_activity".getBytes(UTF_8)))
        .isEqualTo(
            Timestamp.newBuilder()
                .setSeconds(T0.getEpochSecond())
                .setNanos(2)
                .build()
                .toByteArray());
    assertThat(redis.commands().hget(key, HEX.parseHex(murmur("user_activity:clicks_7d"))))
        .isEqualTo(value(2L).toByteArray());
  }

  @Test
  void keyTtlSecondsExpiresTheWholeKey() {
    try (OnlineStore expiring = new RedisOnlineStore(redis.connectionString(), project, 3600)) {
      expiring.write(USER_ACTIVITY, List.of(row(user(7), T0, "clicks_7d", 12L)));
    }
    store.write(USER_ACTIVITY, List.of(row(user(8), T0, "clicks_7d", 1L)));

    byte[] expiringKey = HEX.parseHex(USER_7 + HEX.formatHex(project.getBytes(UTF_8)));
    byte[] lastingKey =
        HEX.parseHex(
            USER_7.replace("0700000000000000", "0800000000000000")
                + HEX.formatHex(project.getBytes(UTF_8)));
    assertThat(redis.commands().ttl(expiringKey)).isBetween(1L, 3600L);
    assertThat(redis.commands().ttl(lastingKey)).isEqualTo(-1L);
  }

  @Test
  void readsHashesFeastsPythonWriterLeft() {
    // as Feast's redis.py writes them: HSET of murmur fields and _ts, key = entity key + project
    byte[] key = HEX.parseHex(ITEM_5 + HEX.formatHex(project.getBytes(UTF_8)));
    Map<byte[], byte[]> hash = new LinkedHashMap<>();
    hash.put(HEX.parseHex(murmur("item_profile:category")), value("boots").toByteArray());
    hash.put(HEX.parseHex(murmur("item_profile:price")), value(80.0).toByteArray());
    hash.put(
        "_ts:item_profile".getBytes(UTF_8),
        Timestamp.newBuilder().setSeconds(T0.getEpochSecond()).build().toByteArray());
    redis.commands().hset(key, hash);

    assertThat(readOne(ITEM_PROFILE, List.of("category", "price"), item(5)))
        .containsExactly(new StoredRow(values("category", "boots", "price", 80.0), T0));
  }

  @Test
  void refusesAConnectionStringWithoutAPort() {
    assertThatThrownBy(() -> new RedisOnlineStore("127.0.0.1", project, null))
        .isInstanceOf(OnlineStoreException.class)
        .hasMessage(
            "Redis connection_string `127.0.0.1` must start with host:port, such as 127.0.0.1:6379");
  }

  /** The hash at {@code key}, field and value as hex. */
  private static Map<String, String> hgetall(byte[] key) {
    RedisCommands<byte[], byte[]> commands = redis.commands();
    Map<String, String> hash = new TreeMap<>();
    commands
        .hgetall(key)
        .forEach((field, value) -> hash.put(HEX.formatHex(field), HEX.formatHex(value)));
    return hash;
  }

  /** Feast's field name: MurmurHash3 x86 32-bit, seed 0, little-endian, as hex. */
  private static String murmur(String viewAndFeature) {
    return HEX.formatHex(Hashing.murmur3_32_fixed().hashString(viewAndFeature, UTF_8).asBytes());
  }
}
