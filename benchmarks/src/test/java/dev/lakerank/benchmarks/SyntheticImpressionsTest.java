package dev.lakerank.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The benchmarks' data is the same on every run and fits the ranker's inputs; nothing here is
 * timed.
 */
class SyntheticImpressionsTest {
  @Test
  void rowsAreAPureFunctionOfTheSeedAndMatchTheSchema() {
    SyntheticImpressions.Impressions first = SyntheticImpressions.generate(5, 500);
    SyntheticImpressions.Impressions again = SyntheticImpressions.generate(5, 500);

    assertThat(Arrays.deepEquals(first.inputs(), again.inputs())).isTrue();
    assertThat(first.labels()).isEqualTo(again.labels());
    assertThat(Arrays.asList(first.inputs()))
        .allSatisfy(row -> assertThat(row).hasSize(SyntheticImpressions.schema(false).size()));
    assertThat(SyntheticImpressions.schema(true).fieldNames()).hasSize(22 + 2 + 1);
    // both classes occur, and some values are missing (the imputer and unseen slots do work)
    assertThat(Arrays.stream(first.labels()).sum()).isBetween(50, 450);
    assertThat(Arrays.stream(first.inputs()).flatMap(Arrays::stream).filter(v -> v == null).count())
        .isPositive();
  }
}
