package dev.lakerank.featurestore.format;

import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import dev.lakerank.featurestore.definition.ValueType;
import feast.proto.types.ValueProto.Value;
import java.time.Instant;

/**
 * Java values to Feast's {@code feast.types.Value} and back, by the feature's declared type.
 *
 * <p>A null is an empty {@code Value} (zero bytes serialized), as Feast writes it. Numbers are
 * converted only without loss: a {@link Integer} for an INT64 feature is widened, a {@link Double}
 * for an INT64 feature is refused.
 */
public final class FeatureValues {
  private static final Value NULL = Value.getDefaultInstance();

  private FeatureValues() {}

  /** The empty value Feast stores for a null. */
  public static Value nullValue() {
    return NULL;
  }

  /**
   * {@code value} as a Feast value of {@code type}.
   *
   * @throws IllegalArgumentException naming the type and the value's class when it does not fit
   */
  public static Value toProto(Object value, ValueType type) {
    if (value == null) {
      return NULL;
    }
    Value.Builder proto = Value.newBuilder();
    switch (type) {
      case INT64:
        if (value instanceof Long
            || value instanceof Integer
            || value instanceof Short
            || value instanceof Byte) {
          return proto.setInt64Val(((Number) value).longValue()).build();
        }
        break;
      case INT32:
        if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
          return proto.setInt32Val(((Number) value).intValue()).build();
        }
        break;
      case DOUBLE:
        if (value instanceof Double
            || value instanceof Float
            || value instanceof Integer
            || value instanceof Short) {
          return proto.setDoubleVal(((Number) value).doubleValue()).build();
        }
        break;
      case FLOAT:
        if (value instanceof Float) {
          return proto.setFloatVal((Float) value).build();
        }
        break;
      case STRING:
        if (value instanceof String) {
          return proto.setStringVal((String) value).build();
        }
        break;
      case BOOL:
        if (value instanceof Boolean) {
          return proto.setBoolVal((Boolean) value).build();
        }
        break;
      case BYTES:
        if (value instanceof byte[]) {
          return proto.setBytesVal(ByteString.copyFrom((byte[]) value)).build();
        }
        break;
      case UNIX_TIMESTAMP:
        if (value instanceof Instant) {
          return proto.setUnixTimestampVal(((Instant) value).getEpochSecond()).build();
        }
        if (value instanceof java.util.Date) {
          return proto
              .setUnixTimestampVal(((java.util.Date) value).toInstant().getEpochSecond())
              .build();
        }
        break;
      default:
        break;
    }
    throw new IllegalArgumentException(
        "a "
            + value.getClass().getSimpleName()
            + " ("
            + value
            + ") is not a value of type "
            + type.dtypeName());
  }

  /**
   * The Java value of a Feast value: Long, Integer, Double, Float, String, Boolean, byte[], Instant
   * or null.
   */
  public static Object fromProto(Value value) {
    switch (value.getValCase()) {
      case INT64_VAL:
        return value.getInt64Val();
      case INT32_VAL:
        return value.getInt32Val();
      case DOUBLE_VAL:
        return value.getDoubleVal();
      case FLOAT_VAL:
        return value.getFloatVal();
      case STRING_VAL:
        return value.getStringVal();
      case BOOL_VAL:
        return value.getBoolVal();
      case BYTES_VAL:
        return value.getBytesVal().toByteArray();
      case UNIX_TIMESTAMP_VAL:
        return Instant.ofEpochSecond(value.getUnixTimestampVal());
      case VAL_NOT_SET:
      case NULL_VAL:
        return null;
      default:
        throw new IllegalArgumentException(
            "Feast value of kind " + value.getValCase() + " is not supported by Lakerank");
    }
  }

  /**
   * Whether {@code value} holds a value of {@code type} (an empty value, a null, holds any type).
   */
  public static boolean hasType(Value value, ValueType type) {
    // Value's fields are numbered as Feast's ValueType enum (bytes_val = 1 ... unix_timestamp_val =
    // 8)
    return isNull(value) || value.getValCase().getNumber() == type.protoNumber();
  }

  /** Whether {@code value} is a null: empty, or Feast's explicit {@code null_val}. */
  public static boolean isNull(Value value) {
    return value.getValCase() == Value.ValCase.VAL_NOT_SET
        || value.getValCase() == Value.ValCase.NULL_VAL;
  }

  /** A protobuf Timestamp of an instant, as stored in {@code _ts:<view>}. */
  public static Timestamp timestamp(Instant instant) {
    return Timestamp.newBuilder()
        .setSeconds(instant.getEpochSecond())
        .setNanos(instant.getNano())
        .build();
  }

  /** The instant of a protobuf Timestamp. */
  public static Instant instant(Timestamp timestamp) {
    return Instant.ofEpochSecond(timestamp.getSeconds(), timestamp.getNanos());
  }

  /**
   * The text Feast's SQLite store puts in {@code value_text}: strings as they are, numbers and
   * booleans in text form, null for anything else.
   */
  public static String text(Value value) {
    switch (value.getValCase()) {
      case STRING_VAL:
        return value.getStringVal();
      case INT64_VAL:
        return Long.toString(value.getInt64Val());
      case INT32_VAL:
        return Integer.toString(value.getInt32Val());
      case DOUBLE_VAL:
        return Double.toString(value.getDoubleVal());
      case FLOAT_VAL:
        return Float.toString(value.getFloatVal());
      case BOOL_VAL:
        return value.getBoolVal() ? "True" : "False";
      default:
        return null;
    }
  }
}
