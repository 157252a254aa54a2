package dev.lakerank.jobs.tables;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The windowed activity columns of the gold feature tables: {@code <metric>_<days>d}, for example
 * {@code clicks_7d}, over windows of 1, 7 and 30 days, plus 30-day rating columns.
 */
public final class ActivityWindows {
  private ActivityWindows() {}

  /** Window lengths in days, shortest first. */
  public static final List<Integer> DAYS = List.of(1, 7, 30);

  /** The longest window. */
  public static final int LONGEST_DAYS = 30;

  public static final String IMPRESSIONS = "impressions";
  public static final String CLICKS = "clicks";

  /** clicks / impressions; null when there were no impressions. */
  public static final String CTR = "ctr";

  public static final String PURCHASES = "purchases";

  /** Sum of click dwell times, in seconds. */
  public static final String DWELL_SECONDS = "dwell_seconds";

  public static final String RATINGS = "ratings";
  public static final String AVG_RATING = "avg_rating";

  /** {@code clicks_7d}. */
  public static String column(String metric, int days) {
    return metric + "_" + days + "d";
  }

  /** Counted metrics for each window, then ratings over the longest window. */
  public static List<StructField> fields(boolean withDwell) {
    List<String> metrics = new ArrayList<>(List.of(IMPRESSIONS, CLICKS, CTR, PURCHASES));
    if (withDwell) {
      metrics.add(DWELL_SECONDS);
    }
    List<StructField> fields = new ArrayList<>();
    for (String metric : metrics) {
      for (int days : DAYS) {
        fields.add(DataTypes.createStructField(column(metric, days), typeOf(metric), true));
      }
    }
    fields.add(
        DataTypes.createStructField(column(RATINGS, LONGEST_DAYS), DataTypes.LongType, true));
    fields.add(
        DataTypes.createStructField(column(AVG_RATING, LONGEST_DAYS), DataTypes.DoubleType, true));
    return fields;
  }

  /**
   * The schema of an activity feature table keyed by {@code keyColumn}: the key, the two {@link
   * FeatureTableColumns}, then {@link #fields(boolean)}.
   */
  public static StructType schema(String keyColumn, boolean withDwell) {
    StructType schema =
        new StructType()
            .add(keyColumn, DataTypes.LongType, false)
            .add(FeatureTableColumns.EVENT_TIMESTAMP, DataTypes.TimestampType, false)
            .add(FeatureTableColumns.CREATED_TIMESTAMP, DataTypes.TimestampType, false);
    for (StructField field : fields(withDwell)) {
      schema = schema.add(field);
    }
    return schema;
  }

  private static DataType typeOf(String metric) {
    return metric.equals(CTR) || metric.equals(DWELL_SECONDS) || metric.equals(AVG_RATING)
        ? DataTypes.DoubleType
        : DataTypes.LongType;
  }
}
