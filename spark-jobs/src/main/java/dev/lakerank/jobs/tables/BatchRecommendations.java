package dev.lakerank.jobs.tables;

import dev.lakerank.jobs.catalog.TableDefinition;
import dev.lakerank.jobs.catalog.TableName;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * {@code gold.recommendations}: the top K items per user from {@code lakerank batch-score}, ALS
 * candidates re-ranked by the ranker, with the model versions that made them. Each run replaces the
 * table; earlier runs stay readable by Delta time travel.
 */
public final class BatchRecommendations {
  private BatchRecommendations() {}

  public static final TableName NAME = new TableName("gold", "recommendations");

  public static final StructType SCHEMA =
      new StructType()
          .add("user_id", DataTypes.LongType, false)
          .add("rank", DataTypes.IntegerType, false)
          .add("item_id", DataTypes.LongType, false)
          .add("score", DataTypes.DoubleType, false)
          .add("als_score", DataTypes.DoubleType, true)
          .add("fallback", DataTypes.BooleanType, false)
          .add("recommender", DataTypes.StringType, false)
          .add("ranker", DataTypes.StringType, false)
          .add("scored_at", DataTypes.TimestampType, false);

  public static final TableDefinition DEFINITION =
      new TableDefinition(
          NAME,
          SCHEMA,
          Map.of(),
          List.of(),
          "Top K recommendations per user (batch-score): ALS candidates re-ranked by the ranker, with model versions.");
}
