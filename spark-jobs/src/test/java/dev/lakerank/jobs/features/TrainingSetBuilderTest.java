package dev.lakerank.jobs.features;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lakerank.jobs.tables.RankerTrainingSet;
import dev.lakerank.jobs.tables.SilverInteractions;
import dev.lakerank.jobs.testing.SharedSpark;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

class TrainingSetBuilderTest {
  static final SparkSession spark = SharedSpark.session();

  @Test
  void labelsEachImpressionByWhatFollowedIt() {
    List<Row> events =
        List.of(
            event("i1", null, "impression", "2026-01-06T21:15:00Z"),
            event("i2", null, "impression", "2026-01-06T21:16:00Z"),
            event("c1", "i1", "click", "2026-01-06T21:15:05Z"),
            event("c1b", "i1", "click", "2026-01-06T21:15:09Z"),
            event("p1", "i1", "purchase", "2026-01-06T21:20:00Z"),
            event("r1", null, "rating", "2026-01-07T10:00:00Z"));

    List<Row> rows =
        TrainingSetBuilder.labelledImpressions(
                spark.createDataFrame(events, SilverInteractions.SCHEMA))
            .orderBy(RankerTrainingSet.IMPRESSION_ID)
            .collectAsList();

    assertThat(rows).hasSize(2);
    assertThat(rows.get(0).schema().fieldNames())
        .containsExactly(RankerTrainingSet.FIXED_SCHEMA.fieldNames());
    assertThat(rows.get(0).<Integer>getAs(RankerTrainingSet.LABEL_CLICK)).isEqualTo(1);
    assertThat(rows.get(0).<Integer>getAs(RankerTrainingSet.LABEL_PURCHASE)).isEqualTo(1);
    assertThat(rows.get(0).<Integer>getAs(RankerTrainingSet.HOUR_OF_DAY)).isEqualTo(21);
    assertThat(rows.get(0).<Integer>getAs(RankerTrainingSet.DAY_OF_WEEK)).isEqualTo(3);
    assertThat(rows.get(1).<Integer>getAs(RankerTrainingSet.LABEL_CLICK)).isZero();
  }

  private static Row event(String id, String impression, String type, String time) {
    Instant at = Instant.parse(time);
    return RowFactory.create(
        id,
        impression,
        1L,
        10L,
        type,
        Timestamp.from(at),
        Date.valueOf(time.substring(0, 10)),
        "desktop",
        "s",
        null,
        null,
        null,
        "batch",
        Timestamp.from(at));
  }
}
