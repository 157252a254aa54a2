package dev.lakerank.featurestore.format;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.common.hash.Hashing;
import com.google.protobuf.ByteString;
import feast.proto.types.EntityKeyProto.EntityKey;
import feast.proto.types.ValueProto.Value;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Entity key bytes and Redis names against the worked examples of FEAST_FORMATS.md section 7 (taken
 * from Feast's own Go and Python tests) and layouts worked out by hand from section 1.
 */
class EntityKeysTest {
  private static final HexFormat HEX = HexFormat.of();

  @Test
  void serializesFeastsV3ExampleOfAnInt64DriverId() {
    byte[] key = EntityKeys.serialize(EntityKeys.of("driver_id", int64(1001)), 3);

    assertThat(HEX.formatHex(key))
        .isEqualTo("0100000002000000090000006472697665725f69640400000008000000e903000000000000");
  }

  @Test
  void redisKeyOfFeastsExampleIsTheEntityKeyFollowedByTheProject() {
    byte[] key =
        RedisLayout.key(EntityKeys.serialize(EntityKeys.of("entity", int32(1)), 3), "test");

    assertThat(HEX.formatHex(key))
        .isEqualTo("010000000200000006000000656e7469747903000000040000000100000074657374");
  }

  @Test
  void redisFieldsOfFeastsExampleAreFourByteMurmurHashes() {
    assertThat(HEX.formatHex(RedisLayout.featureField("feature_view_1", "feature_10")))
        .isEqualTo("266d5f39");
    assertThat(HEX.formatHex(RedisLayout.featureField("feature_view_1", "feature_11")))
        .isEqualTo("c3379abf");
    assertThat(HEX.formatHex(RedisLayout.featureField("feature_view_1", "feature_12")))
        .isEqualTo("7772b564");
  }

  @Test
  void guavasMurmur3MatchesPythonsMmh3() {
    // mmh3.hash("foo", signed=False) == 4138058784 == 0xf6a5c420; Feast keeps its little-endian
    // bytes
    assertThat(Integer.toUnsignedLong(Hashing.murmur3_32_fixed().hashString("foo", UTF_8).asInt()))
        .isEqualTo(4138058784L);
    assertThat(HEX.formatHex(Hashing.murmur3_32_fixed().hashString("foo", UTF_8).asBytes()))
        .isEqualTo("20c4a5f6");
    assertThat(Hashing.murmur3_32_fixed(42).hashString("foo", UTF_8).asInt())
        .isEqualTo(-1322301282);
  }

  @Test
  void timestampFieldIsThePlainTextOfTheView() {
    assertThat(new String(RedisLayout.timestampField("user_activity"), UTF_8))
        .isEqualTo("_ts:user_activity");
  }

  @Test
  void sortsJoinKeysByTheirUtf8BytesAsUnsignedValuesAndWritesAllNamesBeforeAllValues() {
    // Python sorts by code point: B < a < é < U+FFFD < U+1F600. String.compareTo would put the
    // emoji (UTF-16 D83D) before U+FFFD; signed bytes would put every non-ASCII name before "B".
    Map<String, Value> values = new LinkedHashMap<>();
    values.put("\uD83D\uDE00", int64(5));
    values.put("a", int64(2));
    values.put("\uFFFD", int64(4));
    values.put("B", int64(1));
    values.put("é", int64(3));

    byte[] key = EntityKeys.serialize(EntityKeys.of(values), 3);

    assertThat(HEX.formatHex(key))
        .isEqualTo(
            "05000000"
                + "02000000"
                + "01000000"
                + "42"
                + "02000000"
                + "01000000"
                + "61"
                + "02000000"
                + "02000000"
                + "c3a9"
                + "02000000"
                + "03000000"
                + "efbfbd"
                + "02000000"
                + "04000000"
                + "f09f9880"
                + "04000000"
                + "08000000"
                + "0100000000000000"
                + "04000000"
                + "08000000"
                + "0200000000000000"
                + "04000000"
                + "08000000"
                + "0300000000000000"
                + "04000000"
                + "08000000"
                + "0400000000000000"
                + "04000000"
                + "08000000"
                + "0500000000000000");
  }

  @Test
  void orderOfTheKeyProtoDoesNotChangeTheBytes() {
    EntityKey userFirst =
        EntityKey.newBuilder()
            .addJoinKeys("user_id")
            .addEntityValues(int64(7))
            .addJoinKeys("item_id")
            .addEntityValues(int64(100))
            .build();
    EntityKey itemFirst =
        EntityKey.newBuilder()
            .addJoinKeys("item_id")
            .addEntityValues(int64(100))
            .addJoinKeys("user_id")
            .addEntityValues(int64(7))
            .build();

    assertThat(EntityKeys.serialize(userFirst, 3)).isEqualTo(EntityKeys.serialize(itemFirst, 3));
  }

  @Test
  void version2HasNeitherTheKeyCountNorNameLengths() {
    assertThat(HEX.formatHex(EntityKeys.serialize(EntityKeys.of("driver_id", int64(1001)), 2)))
        .isEqualTo(
            "02000000" + "6472697665725f6964" + "04000000" + "08000000" + "e903000000000000");

    Map<String, Value> values = new LinkedHashMap<>();
    values.put("b", Value.newBuilder().setStringVal("x").build());
    values.put("a", int32(-1));
    assertThat(HEX.formatHex(EntityKeys.serialize(EntityKeys.of(values), 2)))
        .isEqualTo(
            "02000000"
                + "61"
                + "02000000"
                + "62"
                + "03000000"
                + "04000000"
                + "ffffffff"
                + "02000000"
                + "01000000"
                + "78");
  }

  @Test
  void lengthsOfNonAsciiNamesAndStringsCountUtf8Bytes() {
    byte[] key =
        EntityKeys.serialize(
            EntityKeys.of("clé", Value.newBuilder().setStringVal("café").build()), 3);

    assertThat(HEX.formatHex(key))
        .isEqualTo(
            "01000000"
                + "02000000"
                + "04000000"
                + "636cc3a9"
                + "02000000"
                + "05000000"
                + "636166c3a9");
  }

  @Test
  void payloadsOfEveryKeyType() {
    assertThat(valueBytes(int32(-2))).isEqualTo("03000000" + "04000000" + "feffffff");
    assertThat(valueBytes(int64(-2))).isEqualTo("04000000" + "08000000" + "feffffffffffffff");
    assertThat(
            valueBytes(
                Value.newBuilder()
                    .setBytesVal(ByteString.copyFrom(new byte[] {0, (byte) 0xff}))
                    .build()))
        .isEqualTo("01000000" + "02000000" + "00ff");
    assertThat(valueBytes(Value.newBuilder().setUnixTimestampVal(1_700_000_000L).build()))
        .isEqualTo("08000000" + "08000000" + "00f1536500000000");
    assertThat(valueBytes(Value.newBuilder().setStringVal("").build()))
        .isEqualTo("02000000" + "00000000");
  }

  @Test
  void int32AndInt64KeysOfTheSameNumberDiffer() {
    assertThat(EntityKeys.serialize(EntityKeys.of("user_id", int32(7)), 3))
        .isNotEqualTo(EntityKeys.serialize(EntityKeys.of("user_id", int64(7)), 3));
  }

  @Test
  void refusesAKeyOfDoubles() {
    EntityKey key = EntityKeys.of("score", Value.newBuilder().setDoubleVal(0.5).build());

    assertThatThrownBy(() -> EntityKeys.serialize(key, 3))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "join key `score` has a DOUBLE_VAL value; Feast keys hold only string, bytes, int32, int64 or "
                + "unix timestamp values");
  }

  @Test
  void refusesLayoutsOtherThan2And3() {
    EntityKey key = EntityKeys.of("driver_id", int64(1001));

    assertThatThrownBy(() -> EntityKeys.serialize(key, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "entity_key_serialization_version 1 is not supported; use 3 (Feast's default) or 2");
    assertThatThrownBy(() -> EntityKeys.serialize(key, 4))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "entity_key_serialization_version 4 is not supported; use 3 (Feast's default) or 2");
  }

  @Test
  void refusesAKeyWithoutJoinKeysOrWithMissingValues() {
    assertThatThrownBy(() -> EntityKeys.serialize(EntityKey.getDefaultInstance(), 3))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "an entity key needs as many values as join keys, at least one (got 0 keys and 0 values)");
    assertThatThrownBy(
            () -> EntityKeys.serialize(EntityKey.newBuilder().addJoinKeys("a").build(), 3))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("(got 1 keys and 0 values)");
  }

  /** The value part of a one-key v3 entity key named "k". */
  private static String valueBytes(Value value) {
    String prefix = "01000000" + "02000000" + "01000000" + "6b";
    String hex = HEX.formatHex(EntityKeys.serialize(EntityKeys.of("k", value), 3));
    assertThat(hex).startsWith(prefix);
    return hex.substring(prefix.length());
  }

  private static Value int64(long value) {
    return Value.newBuilder().setInt64Val(value).build();
  }

  private static Value int32(int value) {
    return Value.newBuilder().setInt32Val(value).build();
  }
}
