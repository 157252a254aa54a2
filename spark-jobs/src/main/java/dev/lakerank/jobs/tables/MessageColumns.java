package dev.lakerank.jobs.tables;

import dev.lakerank.contract.messages.FieldType;
import dev.lakerank.contract.messages.MessageField;
import dev.lakerank.contract.messages.MessageSchema;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The Delta columns of a message that crosses a process boundary ({@code
 * dev.lakerank.contract.messages}): one column per field, in the message's order, of the matching
 * Spark type, nullable when the field is optional.
 */
public final class MessageColumns {
  private MessageColumns() {}

  /** The message's fields as a Spark schema. */
  public static StructType schema(MessageSchema message) {
    StructType schema = new StructType();
    for (MessageField field : message.fields()) {
      schema = schema.add(column(field));
    }
    return schema;
  }

  /** The column of one field. */
  public static StructField column(MessageField field) {
    return DataTypes.createStructField(field.name(), type(field.type()), !field.required());
  }

  /** The Spark type of a field type. */
  public static DataType type(FieldType type) {
    return switch (type) {
      case STRING -> DataTypes.StringType;
      case LONG -> DataTypes.LongType;
      case DOUBLE -> DataTypes.DoubleType;
      case BOOLEAN -> DataTypes.BooleanType;
      case TIMESTAMP -> DataTypes.TimestampType;
      case LONG_ARRAY -> DataTypes.createArrayType(DataTypes.LongType, false);
      // a score that is not finite is written as null
      case DOUBLE_ARRAY -> DataTypes.createArrayType(DataTypes.DoubleType, true);
    };
  }
}
