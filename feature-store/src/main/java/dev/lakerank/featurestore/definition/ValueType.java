package dev.lakerank.featurestore.definition;

import dev.lakerank.featurestore.errors.DefinitionException;
import dev.lakerank.featurestore.errors.FeatureStoreErrors;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Scalar value types of Feast features and entity keys.
 *
 * <p>The numbers are those of {@code feast.types.ValueType.Enum} in Feast's {@code
 * protos/feast/types/Value.proto}; the dtype names are those of Feast's Python SDK ({@code
 * feast.types}).
 */
public enum ValueType {
  BYTES(1, "Bytes"),
  STRING(2, "String"),
  INT32(3, "Int32"),
  INT64(4, "Int64"),
  DOUBLE(5, "Float64"),
  FLOAT(6, "Float32"),
  BOOL(7, "Bool"),
  UNIX_TIMESTAMP(8, "UnixTimestamp");

  private final int protoNumber;
  private final String dtypeName;

  ValueType(int protoNumber, String dtypeName) {
    this.protoNumber = protoNumber;
    this.dtypeName = dtypeName;
  }

  /** The number of this type in Feast's {@code ValueType.Enum}. */
  public int protoNumber() {
    return protoNumber;
  }

  /** The name Feast's Python SDK gives this type ({@code Int64}, {@code Float64}, ...). */
  public String dtypeName() {
    return dtypeName;
  }

  /**
   * Parses either Feast's enum name ({@code INT64}) or its Python dtype name ({@code Int64}).
   *
   * @throws DefinitionException naming the accepted values when {@code text} is neither
   */
  public static ValueType parse(String text) {
    for (ValueType type : values()) {
      if (type.name().equalsIgnoreCase(text) || type.dtypeName.equalsIgnoreCase(text)) {
        return type;
      }
    }
    String accepted =
        Arrays.stream(values()).map(ValueType::dtypeName).collect(Collectors.joining(", "));
    throw FeatureStoreErrors.invalidDefinition(
        "unknown value type `"
            + text
            + "`; use one of "
            + accepted
            + " (or Feast's enum names such as "
            + INT64.name()
            + ")");
  }

  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}
