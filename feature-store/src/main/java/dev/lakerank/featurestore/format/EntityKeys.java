package dev.lakerank.featurestore.format;

import feast.proto.types.EntityKeyProto.EntityKey;
import feast.proto.types.ValueProto.Value;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Feast's entity key bytes ({@code key_encoding_utils.serialize_entity_key}; FEAST_FORMATS.md
 * section 1): join keys sorted by the code points of their names, all names first, then all values,
 * every integer little-endian.
 *
 * <p>Version 3 (Feast's default since 0.50): {@code u32 N}, then per name {@code u32 2, u32 length,
 * UTF-8}, then per value {@code u32 type, u32 length, payload}. Version 2 has no {@code N} and no
 * name lengths.
 *
 * <p>Example: {@code serialize(EntityKeys.of(Map.of("driver_id", int64(1001))), 3)} gives {@code
 * 01000000 02000000 09000000 6472697665725f6964 04000000 08000000 e903000000000000}.
 */
public final class EntityKeys {
  /** The layout Lakerank writes, and Feast's default. */
  public static final int DEFAULT_VERSION = 3;

  private static final int STRING_TYPE = 2;

  private EntityKeys() {}

  /** An entity key of the given join keys and values, in any order. */
  public static EntityKey of(Map<String, Value> values) {
    EntityKey.Builder key = EntityKey.newBuilder();
    values.forEach((name, value) -> key.addJoinKeys(name).addEntityValues(value));
    return key.build();
  }

  /** An entity key with one join key. */
  public static EntityKey of(String joinKey, Value value) {
    return EntityKey.newBuilder().addJoinKeys(joinKey).addEntityValues(value).build();
  }

  /**
   * The bytes of {@code key} in layout {@code version} (2 or 3).
   *
   * @throws IllegalArgumentException for another version, a value type Feast cannot put in a key
   *     (only bytes, string, int32, int64 and unix timestamp), or a key with no join keys
   */
  public static byte[] serialize(EntityKey key, int version) {
    if (version != 2 && version != 3) {
      throw new IllegalArgumentException(
          "entity_key_serialization_version "
              + version
              + " is not supported; use 3 (Feast's default) or 2");
    }
    if (key.getJoinKeysCount() == 0 || key.getJoinKeysCount() != key.getEntityValuesCount()) {
      throw new IllegalArgumentException(
          "an entity key needs as many values as join keys, at least one (got "
              + key.getJoinKeysCount()
              + " keys and "
              + key.getEntityValuesCount()
              + " values)");
    }
    List<byte[]> names = new ArrayList<>();
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < key.getJoinKeysCount(); i++) {
      names.add(key.getJoinKeys(i).getBytes(StandardCharsets.UTF_8));
      order.add(i);
    }
    order.sort(Comparator.comparing(names::get, Arrays::compareUnsigned));

    Output out = new Output(16 * names.size() + 32);
    if (version >= 3) {
      out.u32(names.size());
    }
    for (int i : order) {
      out.u32(STRING_TYPE);
      if (version >= 3) {
        out.u32(names.get(i).length);
      }
      out.bytes(names.get(i));
    }
    for (int i : order) {
      Value value = key.getEntityValues(i);
      byte[] payload = payload(key.getJoinKeys(i), value);
      out.u32(value.getValCase().getNumber());
      out.u32(payload.length);
      out.bytes(payload);
    }
    return out.toByteArray();
  }

  private static byte[] payload(String joinKey, Value value) {
    switch (value.getValCase()) {
      case STRING_VAL:
        return value.getStringVal().getBytes(StandardCharsets.UTF_8);
      case BYTES_VAL:
        return value.getBytesVal().toByteArray();
      case INT32_VAL:
        return ByteBuffer.allocate(4)
            .order(ByteOrder.LITTLE_ENDIAN)
            .putInt(value.getInt32Val())
            .array();
      case INT64_VAL:
        return ByteBuffer.allocate(8)
            .order(ByteOrder.LITTLE_ENDIAN)
            .putLong(value.getInt64Val())
            .array();
      case UNIX_TIMESTAMP_VAL:
        return ByteBuffer.allocate(8)
            .order(ByteOrder.LITTLE_ENDIAN)
            .putLong(value.getUnixTimestampVal())
            .array();
      default:
        throw new IllegalArgumentException(
            "join key `"
                + joinKey
                + "` has a "
                + value.getValCase()
                + " value; Feast keys hold only string, bytes, "
                + "int32, int64 or unix timestamp values");
    }
  }

  /** A little-endian byte sink. */
  private static final class Output extends ByteArrayOutputStream {
    Output(int size) {
      super(size);
    }

    void u32(int value) {
      write(value);
      write(value >>> 8);
      write(value >>> 16);
      write(value >>> 24);
    }

    void bytes(byte[] bytes) {
      write(bytes, 0, bytes.length);
    }
  }
}
