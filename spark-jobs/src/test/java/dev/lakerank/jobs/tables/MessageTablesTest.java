package dev.lakerank.jobs.tables;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lakerank.contract.messages.EventMessage;
import dev.lakerank.contract.messages.FeedbackMessage;
import dev.lakerank.contract.messages.FieldType;
import dev.lakerank.contract.messages.MessageField;
import dev.lakerank.contract.messages.MessageSchema;
import dev.lakerank.contract.messages.PredictionMessage;
import dev.lakerank.jobs.catalog.Lakehouse;
import dev.lakerank.jobs.catalog.TableName;
import dev.lakerank.jobs.testing.SharedSpark;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Delta tables that keep a message crossing a process boundary hold its fields, as Delta
 * records them once the table is created: {@code ml.prediction_log} and {@code ml.feedback} the
 * fields of the serving API's log messages in their order (then the Kafka coordinates), {@code
 * silver.interactions} every field of an event, typed. The expected Spark types are written out
 * here, not taken from the code that builds the schemas.
 */
class MessageTablesTest {
  private static final Map<FieldType, DataType> SPARK_TYPES =
      Map.of(
          FieldType.STRING, DataTypes.StringType,
          FieldType.LONG, DataTypes.LongType,
          FieldType.DOUBLE, DataTypes.DoubleType,
          FieldType.BOOLEAN, DataTypes.BooleanType,
          FieldType.TIMESTAMP, DataTypes.TimestampType,
          FieldType.LONG_ARRAY, new ArrayType(DataTypes.LongType, false),
          FieldType.DOUBLE_ARRAY, new ArrayType(DataTypes.DoubleType, true));

  @TempDir Path directory;

  @Test
  void theLogTablesHoldTheMessagesFieldsThenTheKafkaCoordinates() {
    Lakehouse lakehouse = new Lakehouse(SharedSpark.session(), directory.toString());
    lakehouse.createIfNotExists(PredictionLog.DEFINITION);
    lakehouse.createIfNotExists(FeedbackLog.DEFINITION);

    assertLogTable(lakehouse, PredictionLog.NAME, PredictionMessage.SCHEMA);
    assertLogTable(lakehouse, FeedbackLog.NAME, FeedbackMessage.SCHEMA);
  }

  @Test
  void silverInteractionsTypesEveryFieldOfAnEvent() {
    Lakehouse lakehouse = new Lakehouse(SharedSpark.session(), directory.toString());
    lakehouse.createIfNotExists(SilverInteractions.DEFINITION);
    StructType silver = lakehouse.read(SilverInteractions.NAME).schema();
    for (MessageField field : EventMessage.SCHEMA.fields()) {
      StructField column = silver.apply(field.name());
      assertThat(column.dataType()).as(field.name()).isEqualTo(SPARK_TYPES.get(field.type()));
      if (field.required()) {
        assertThat(column.nullable()).as(field.name() + " is required").isFalse();
      }
    }
    assertThat(BronzeTable.EVENTS.sourceFields()).isEqualTo(EventMessage.SCHEMA.fieldNames());
  }

  @Test
  void theTablesValueListsAreTheMessagesOwn() {
    assertThat(EventType.allValues()).isEqualTo(EventMessage.EVENT_TYPES);
    assertThat(SilverInteractions.DEVICES).isEqualTo(EventMessage.DEVICES);
    assertThat(FeedbackLog.EVENTS).containsExactly("click", "purchase", "dismiss", "rating");
  }

  private static void assertLogTable(Lakehouse lakehouse, TableName table, MessageSchema message) {
    StructType schema = lakehouse.read(table).schema();
    List<String> names = Arrays.asList(schema.fieldNames());
    List<String> kafka = StreamSource.fields().stream().map(StructField::name).toList();
    assertThat(names.subList(0, message.fields().size()))
        .as("the message columns of %s", table)
        .isEqualTo(message.fieldNames());
    assertThat(names.subList(message.fields().size(), names.size()))
        .as("the source columns of %s", table)
        .isEqualTo(kafka);
    for (MessageField field : message.fields()) {
      StructField column = schema.apply(field.name());
      assertThat(column.dataType())
          .as("%s.%s", table, field.name())
          .isEqualTo(SPARK_TYPES.get(field.type()));
      assertThat(column.nullable())
          .as("%s.%s takes nulls", table, field.name())
          .isEqualTo(!field.required());
    }
  }
}
