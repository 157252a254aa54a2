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

  public static final String USER_ID = "user_id";

  /** 1 for the best item of the user. */
  public static final String RANK = "rank";

  public static final String ITEM_ID = "item_id";

  /** The ranker's probability. */
  public static final String SCORE = "score";

  /** The recommender's score of the pair; null when it knows the user or the item not. */
  public static final String ALS_SCORE = "als_score";

  /** True when the user was unknown and the candidates were the popular items. */
  public static final String FALLBACK = "fallback";

  /** The model versions that made the row ({@code name vN}). */
  public static final String RECOMMENDER = "recommender";

  public static final String RANKER = "ranker";
  public static final String SCORED_AT = "scored_at";

  public static final StructType SCHEMA =
      new StructType()
          .add(USER_ID, DataTypes.LongType, false)
          .add(RANK, DataTypes.IntegerType, false)
          .add(ITEM_ID, DataTypes.LongType, false)
          .add(SCORE, DataTypes.DoubleType, false)
          .add(ALS_SCORE, DataTypes.DoubleType, true)
          .add(FALLBACK, DataTypes.BooleanType, false)
          .add(RECOMMENDER, DataTypes.StringType, false)
          .add(RANKER, DataTypes.StringType, false)
          .add(SCORED_AT, DataTypes.TimestampType, false);

  public static final TableDefinition DEFINITION =
      new TableDefinition(
          NAME,
          SCHEMA,
          Map.of(),
          List.of(),
          "Top K recommendations per user (batch-score): ALS candidates re-ranked by the ranker, with model versions.");
}
