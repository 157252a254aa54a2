package dev.lakerank.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Ranker rows shaped like the real training set: 19 point-in-time features from feature views, the
 * impression's context (hour of day, day of week, device), the item's category and the ALS score.
 * About 3% of numbers and 2% of texts are missing, so the imputer and the unseen-category slots do
 * work. Rows are a pure function of the seed.
 */
public final class SyntheticImpressions {
  public static final List<String> NUMERIC =
      List.of(
          "user_activity__clicks_1d",
          "user_activity__clicks_7d",
          "user_activity__impressions_7d",
          "user_activity__ctr_7d",
          "user_activity__ctr_30d",
          "user_activity__purchases_30d",
          "user_activity__days_since_last_click",
          "user_profile__account_age_days",
          "user_profile__sessions_7d",
          "item_stats__clicks_7d",
          "item_stats__impressions_7d",
          "item_stats__ctr_7d",
          "item_stats__ctr_30d",
          "item_stats__purchases_30d",
          "item_stats__price",
          "item_stats__age_days",
          "item_stats__rating_mean",
          "user_category__ctr_30d",
          "user_category__clicks_30d",
          "hour_of_day",
          "day_of_week",
          "als_score");
  public static final List<String> TEXT = List.of("device", "item_category");
  public static final String LABEL = "label";

  private static final String[] DEVICES = {"mobile", "desktop", "tablet", "tv"};
  private static final String[] CATEGORIES = {
    "books",
    "toys",
    "home",
    "music",
    "games",
    "garden",
    "sports",
    "beauty",
    "grocery",
    "electronics",
    "fashion",
    "auto"
  };

  private SyntheticImpressions() {}

  /**
   * Rows of scorer inputs (numbers as {@link Double} or null, then texts as {@link String} or null,
   * in {@link #NUMERIC} then {@link #TEXT} order) and their click labels.
   */
  public record Impressions(Object[][] inputs, int[] labels) {}

  public static Impressions generate(long seed, int count) {
    SplittableRandom random = new SplittableRandom(seed);
    Object[][] inputs = new Object[count][];
    int[] labels = new int[count];
    for (int r = 0; r < count; r++) {
      double[] x = new double[NUMERIC.size()];
      for (int f = 0; f < 19; f++) {
        // counts and rates on different scales, as feature views give them
        x[f] =
            f % 3 == 0
                ? Math.floor(Math.exp(random.nextGaussian() * 1.2 + 1.5))
                : random.nextGaussian() * (1 + f % 4);
      }
      x[19] = random.nextInt(24);
      x[20] = random.nextInt(7);
      x[21] = random.nextGaussian();
      int category = random.nextInt(CATEGORIES.length);
      int device = random.nextInt(DEVICES.length);
      double logit =
          -1.2
              + 0.9 * x[21]
              + 0.4 * x[3]
              - 0.2 * x[11]
              + 0.05 * Math.min(x[0], 20)
              + 0.3 * Math.sin(x[19] / 24 * 2 * Math.PI)
              + (device == 0 ? 0.3 : -0.1)
              + (category % 3 == 0 ? 0.4 : -0.2)
              + (x[4] > 1 && x[21] > 0 ? 0.5 : 0);
      labels[r] = random.nextDouble() < 1 / (1 + Math.exp(-logit)) ? 1 : 0;
      Object[] row = new Object[NUMERIC.size() + TEXT.size()];
      for (int f = 0; f < x.length; f++) {
        row[f] = random.nextInt(33) == 0 ? null : x[f];
      }
      row[x.length] = random.nextInt(50) == 0 ? null : DEVICES[device];
      row[x.length + 1] = random.nextInt(50) == 0 ? null : CATEGORIES[category];
      inputs[r] = row;
    }
    return new Impressions(inputs, labels);
  }

  /** The Spark schema of the inputs, with the label column last when {@code withLabel}. */
  public static StructType schema(boolean withLabel) {
    StructType schema = new StructType();
    for (String name : NUMERIC) {
      schema = schema.add(name, DataTypes.DoubleType, true);
    }
    for (String name : TEXT) {
      schema = schema.add(name, DataTypes.StringType, true);
    }
    return withLabel ? schema.add(LABEL, DataTypes.IntegerType, false) : schema;
  }

  /** Spark rows of {@link #schema(boolean) schema(true)}. */
  public static List<Row> labelledRows(Impressions impressions) {
    List<Row> rows = new ArrayList<>(impressions.labels().length);
    for (int r = 0; r < impressions.labels().length; r++) {
      Object[] values =
          java.util.Arrays.copyOf(impressions.inputs()[r], impressions.inputs()[r].length + 1);
      values[values.length - 1] = impressions.labels()[r];
      rows.add(RowFactory.create(values));
    }
    return rows;
  }

  /** One Spark row of {@link #schema(boolean) schema(false)}. */
  public static Row row(Object[] inputs) {
    return RowFactory.create(inputs.clone());
  }
}
