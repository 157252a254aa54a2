package dev.lakerank.featurestore.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.lakerank.featurestore.definition.ValueType;
import feast.proto.types.ValueProto.Null;
import feast.proto.types.ValueProto.Value;
import java.time.Instant;
import java.util.Date;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

class FeatureValuesTest {
  static Stream<Arguments> oneValueOfEachType() {
    return Stream.of(
        Arguments.of(
            ValueType.BYTES,
            new byte[] {1, 2, (byte) 0xff},
            Value.newBuilder()
                .setBytesVal(ByteString.copyFrom(new byte[] {1, 2, (byte) 0xff}))
                .build()),
        Arguments.of(
            ValueType.STRING, "shoes é", Value.newBuilder().setStringVal("shoes é").build()),
        Arguments.of(ValueType.INT32, -7, Value.newBuilder().setInt32Val(-7).build()),
        Arguments.of(
            ValueType.INT64,
            Long.MAX_VALUE,
            Value.newBuilder().setInt64Val(Long.MAX_VALUE).build()),
        Arguments.of(ValueType.DOUBLE, 0.125, Value.newBuilder().setDoubleVal(0.125).build()),
        Arguments.of(ValueType.FLOAT, 1.5f, Value.newBuilder().setFloatVal(1.5f).build()),
        Arguments.of(ValueType.BOOL, true, Value.newBuilder().setBoolVal(true).build()),
        Arguments.of(
            ValueType.UNIX_TIMESTAMP,
            Instant.ofEpochSecond(1_700_000_000L),
            Value.newBuilder().setUnixTimestampVal(1_700_000_000L).build()));
  }

  @ParameterizedTest
  @MethodSource("oneValueOfEachType")
  void roundTripsEachTypeThroughFeastsValue(ValueType type, Object java, Value expected)
      throws InvalidProtocolBufferException {
    Value proto = FeatureValues.toProto(java, type);

    assertThat(proto).isEqualTo(expected);
    assertThat(FeatureValues.hasType(proto, type)).isTrue();
    assertThat(FeatureValues.isNull(proto)).isFalse();
    assertThat(FeatureValues.fromProto(Value.parseFrom(proto.toByteArray()))).isEqualTo(java);
  }

  @ParameterizedTest
  @EnumSource(ValueType.class)
  void nullIsTheEmptyValueOfZeroBytes(ValueType type) {
    Value proto = FeatureValues.toProto(null, type);

    assertThat(proto).isEqualTo(Value.getDefaultInstance()).isSameAs(FeatureValues.nullValue());
    assertThat(proto.toByteArray()).isEmpty();
    assertThat(FeatureValues.isNull(proto)).isTrue();
    assertThat(FeatureValues.hasType(proto, type)).isTrue();
    assertThat(FeatureValues.fromProto(proto)).isNull();
  }

  @Test
  void feastsExplicitNullIsANullToo() {
    Value proto = Value.newBuilder().setNullVal(Null.NULL).build();

    assertThat(FeatureValues.isNull(proto)).isTrue();
    assertThat(FeatureValues.hasType(proto, ValueType.INT64)).isTrue();
    assertThat(FeatureValues.fromProto(proto)).isNull();
  }

  @Test
  void widensNumbersWithoutLoss() {
    assertThat(FeatureValues.toProto(42, ValueType.INT64))
        .isEqualTo(Value.newBuilder().setInt64Val(42).build());
    assertThat(FeatureValues.toProto((short) 3, ValueType.INT64))
        .isEqualTo(Value.newBuilder().setInt64Val(3).build());
    assertThat(FeatureValues.toProto((byte) 2, ValueType.INT32))
        .isEqualTo(Value.newBuilder().setInt32Val(2).build());
    assertThat(FeatureValues.toProto(5, ValueType.DOUBLE))
        .isEqualTo(Value.newBuilder().setDoubleVal(5.0).build());
    assertThat(FeatureValues.toProto(0.5f, ValueType.DOUBLE))
        .isEqualTo(Value.newBuilder().setDoubleVal(0.5).build());
    assertThat(
            FeatureValues.toProto(
                Date.from(Instant.ofEpochSecond(1_000)), ValueType.UNIX_TIMESTAMP))
        .isEqualTo(Value.newBuilder().setUnixTimestampVal(1_000).build());
  }

  @Test
  void refusesConversionsThatLoseInformation() {
    assertThatThrownBy(() -> FeatureValues.toProto(1.5, ValueType.INT64))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a Double (1.5) is not a value of type Int64");
    assertThatThrownBy(() -> FeatureValues.toProto(1L << 40, ValueType.INT32))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a Long (1099511627776) is not a value of type Int32");
    assertThatThrownBy(() -> FeatureValues.toProto(0.1, ValueType.FLOAT))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a Double (0.1) is not a value of type Float32");
    assertThatThrownBy(() -> FeatureValues.toProto("7", ValueType.INT64))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a String (7) is not a value of type Int64");
  }

  @Test
  void hasTypeComparesTheValuesKindWithTheDeclaredType() {
    Value int64 = Value.newBuilder().setInt64Val(1).build();

    assertThat(FeatureValues.hasType(int64, ValueType.INT64)).isTrue();
    assertThat(FeatureValues.hasType(int64, ValueType.INT32)).isFalse();
    assertThat(FeatureValues.hasType(int64, ValueType.DOUBLE)).isFalse();
    assertThat(FeatureValues.hasType(Value.newBuilder().setStringVal("1").build(), ValueType.INT64))
        .isFalse();
    assertThat(
            FeatureValues.hasType(
                Value.newBuilder().setUnixTimestampVal(1).build(), ValueType.UNIX_TIMESTAMP))
        .isTrue();
  }

  @Test
  void textIsFeastsValueTextColumn() {
    assertThat(FeatureValues.text(Value.newBuilder().setStringVal("shoes").build()))
        .isEqualTo("shoes");
    assertThat(FeatureValues.text(Value.newBuilder().setInt64Val(-42).build())).isEqualTo("-42");
    assertThat(FeatureValues.text(Value.newBuilder().setInt32Val(7).build())).isEqualTo("7");
    assertThat(FeatureValues.text(Value.newBuilder().setDoubleVal(0.25).build())).isEqualTo("0.25");
    assertThat(FeatureValues.text(Value.newBuilder().setFloatVal(1.5f).build())).isEqualTo("1.5");
    // Python's str(True) and str(False)
    assertThat(FeatureValues.text(Value.newBuilder().setBoolVal(true).build())).isEqualTo("True");
    assertThat(FeatureValues.text(Value.newBuilder().setBoolVal(false).build())).isEqualTo("False");
    assertThat(
            FeatureValues.text(
                Value.newBuilder().setBytesVal(ByteString.copyFromUtf8("x")).build()))
        .isNull();
    assertThat(FeatureValues.text(Value.newBuilder().setUnixTimestampVal(1).build())).isNull();
    assertThat(FeatureValues.text(FeatureValues.nullValue())).isNull();
  }

  @Test
  void timestampsKeepNanoseconds() {
    Instant instant = Instant.parse("2024-05-01T12:30:45.123456789Z");

    assertThat(FeatureValues.timestamp(instant).getSeconds()).isEqualTo(instant.getEpochSecond());
    assertThat(FeatureValues.timestamp(instant).getNanos()).isEqualTo(123_456_789);
    assertThat(FeatureValues.instant(FeatureValues.timestamp(instant))).isEqualTo(instant);
  }
}
