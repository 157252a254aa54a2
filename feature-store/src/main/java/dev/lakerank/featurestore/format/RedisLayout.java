package dev.lakerank.featurestore.format;

import com.google.common.hash.Hashing;
import java.nio.charset.StandardCharsets;

/**
 * Feast's Redis layout (FEAST_FORMATS.md section 2): one hash per entity key, named by the entity
 * key bytes followed by the project; a field per feature, named by the 4-byte little-endian
 * MurmurHash3 (x86, 32-bit, seed 0) of {@code "<view>:<feature>"}; and a field {@code _ts:<view>}
 * holding the row's event time as a serialized {@code google.protobuf.Timestamp}.
 */
public final class RedisLayout {
  private RedisLayout() {}

  /** The hash's key: entity key bytes, then UTF-8 of the project, no separator. */
  public static byte[] key(byte[] entityKey, String project) {
    byte[] projectBytes = project.getBytes(StandardCharsets.UTF_8);
    byte[] key = new byte[entityKey.length + projectBytes.length];
    System.arraycopy(entityKey, 0, key, 0, entityKey.length);
    System.arraycopy(projectBytes, 0, key, entityKey.length, projectBytes.length);
    return key;
  }

  /** The field of a feature: murmur3 of {@code "<view>:<feature>"}, 4 bytes little-endian. */
  public static byte[] featureField(String view, String feature) {
    return Hashing.murmur3_32_fixed()
        .hashBytes((view + ":" + feature).getBytes(StandardCharsets.UTF_8))
        .asBytes();
  }

  /** The field holding a view's event time: the text {@code _ts:<view>}, not hashed. */
  public static byte[] timestampField(String view) {
    return ("_ts:" + view).getBytes(StandardCharsets.UTF_8);
  }
}
