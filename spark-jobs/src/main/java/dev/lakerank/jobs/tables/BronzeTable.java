package dev.lakerank.jobs.tables;

import dev.lakerank.jobs.catalog.TableDefinition;
import dev.lakerank.jobs.catalog.TableName;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The bronze tables: source rows exactly as received, every field as text, plus {@link
 * IngestMetadata}. Append-only (Delta refuses updates and deletes) with the change data feed on, so
 * {@code transform} reads only what arrived since its last run.
 */
public enum BronzeTable {
  EVENTS(
      "events",
      SilverInteractions.SOURCE_FIELDS,
      List.of(
          SilverInteractions.USER_ID, SilverInteractions.ITEM_ID, SilverInteractions.EVENT_TIME),
      "Raw interaction events as received."),
  USERS(
      "users",
      SilverUsers.SOURCE_FIELDS,
      List.of(SilverUsers.USER_ID),
      "Raw user records as received."),
  ITEMS(
      "items",
      SilverItems.SOURCE_FIELDS,
      List.of(SilverItems.ITEM_ID),
      "Raw catalogue records as received.");

  private final TableName name;
  private final List<String> sourceFields;
  private final List<String> requiredSourceFields;
  private final TableDefinition definition;

  BronzeTable(
      String table,
      List<String> sourceFields,
      List<String> requiredSourceFields,
      String description) {
    this.name = new TableName("bronze", table);
    this.sourceFields = sourceFields;
    this.requiredSourceFields = requiredSourceFields;
    StructType schema = new StructType();
    for (String field : sourceFields) {
      schema = schema.add(field, DataTypes.StringType, true);
    }
    schema = schema.add(IngestMetadata.CORRUPT_RECORD, DataTypes.StringType, true);
    for (var field : IngestMetadata.fields()) {
      schema = schema.add(field);
    }
    this.definition =
        new TableDefinition(
            name,
            schema,
            Map.of(TableDefinition.APPEND_ONLY, "true", TableDefinition.CHANGE_DATA_FEED, "true"),
            List.of(),
            description);
  }

  public TableName tableName() {
    return name;
  }

  public TableDefinition definition() {
    return definition;
  }

  /** The fields a source row may carry, in order; all are kept as text. */
  public List<String> sourceFields() {
    return sourceFields;
  }

  /**
   * Fields a source layout must provide (or map with {@code --map}); a file without them is refused
   * at ingest, since every row would be quarantined.
   */
  public List<String> requiredSourceFields() {
    return requiredSourceFields;
  }

  /** {@code events}, {@code users} or {@code items}. */
  public String value() {
    return name().toLowerCase(Locale.ROOT);
  }
}
