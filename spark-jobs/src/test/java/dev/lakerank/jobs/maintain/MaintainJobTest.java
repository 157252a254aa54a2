package dev.lakerank.jobs.maintain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lakerank.jobs.LakerankException;
import dev.lakerank.jobs.Reporter;
import dev.lakerank.jobs.catalog.Lakehouse;
import dev.lakerank.jobs.tables.SilverInteractions;
import dev.lakerank.jobs.testing.SharedSpark;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.SaveMode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MaintainJobTest {
  @TempDir Path directory;
  Lakehouse lakehouse;
  MaintainJob job;

  @BeforeEach
  void setUp() {
    lakehouse = new Lakehouse(SharedSpark.session(), directory.toString());
    job = new MaintainJob(lakehouse, Reporter.SILENT);
    lakehouse.createIfNotExists(SilverInteractions.DEFINITION);
    for (int batch = 0; batch < 3; batch++) {
      SharedSpark.session()
          .sql(
              "SELECT concat('e', id) AS event_id, NULL AS impression_id, id % 7 AS user_id, id % 5 AS item_id, 'click' AS event_type, "
                  + "TIMESTAMP'2026-01-01 00:00:00' AS event_time, DATE'2026-01-01' AS event_date, 'mobile' AS device, 's' AS session_id, "
                  + "1000L AS dwell_ms, CAST(NULL AS DOUBLE) AS price, CAST(NULL AS DOUBLE) AS rating, 'b' AS _batch_id, "
                  + "TIMESTAMP'2026-01-01 00:00:00' AS _ingest_time FROM range("
                  + (batch * 100)
                  + ", "
                  + (batch * 100 + 100)
                  + ", 1, 2)")
          .selectExpr(
              "event_id",
              "CAST(impression_id AS STRING) AS impression_id",
              "user_id",
              "item_id",
              "event_type",
              "event_time",
              "event_date",
              "device",
              "session_id",
              "dwell_ms",
              "price",
              "rating",
              "_batch_id",
              "_ingest_time")
          .write()
          .format("delta")
          .mode(SaveMode.Append)
          .save(lakehouse.location(SilverInteractions.NAME));
    }
  }

  @Test
  void compactsSmallFilesAndZOrdersByTheEntityKeyWhenAsked() {
    List<MaintainJob.Result> results =
        job.run(
            new MaintainJob.Options(
                Optional.of(SilverInteractions.NAME),
                true,
                MaintainJob.ZOrder.ALWAYS,
                false,
                MaintainJob.SAFE_RETENTION,
                false,
                false));

    MaintainJob.Result result = results.get(0);
    assertThat(result.filesBefore()).isGreaterThanOrEqualTo(3);
    assertThat(result.filesAfter()).isEqualTo(1);
    assertThat(result.zOrderedBy()).containsExactly(SilverInteractions.USER_ID);
    assertThat(lakehouse.read(SilverInteractions.NAME).count()).isEqualTo(300);
  }

  @Test
  void onlyCompactsASmallTableInAutoMode() {
    MaintainJob.Result result =
        job.run(
                new MaintainJob.Options(
                    Optional.empty(),
                    true,
                    MaintainJob.ZOrder.AUTO,
                    false,
                    MaintainJob.SAFE_RETENTION,
                    false,
                    false))
            .get(0);
    assertThat(result.zOrderedBy()).isEmpty();
    assertThat(result.filesAfter()).isEqualTo(1);
  }

  @Test
  void vacuumsOnlyWithAnUnsafeRetentionWhenToldItIsUnsafe() {
    job.run(
        new MaintainJob.Options(
            Optional.empty(),
            true,
            MaintainJob.ZOrder.NEVER,
            false,
            MaintainJob.SAFE_RETENTION,
            false,
            false));
    assertThatThrownBy(
            () ->
                job.run(
                    new MaintainJob.Options(
                        Optional.empty(),
                        false,
                        MaintainJob.ZOrder.NEVER,
                        true,
                        Duration.ZERO,
                        false,
                        false)))
        .isInstanceOf(LakerankException.class)
        .hasMessageContaining("--unsafe-retention");

    MaintainJob.Result dryRun =
        job.run(
                new MaintainJob.Options(
                    Optional.empty(),
                    false,
                    MaintainJob.ZOrder.NEVER,
                    true,
                    Duration.ZERO,
                    true,
                    true))
            .get(0);
    assertThat(dryRun.filesVacuumable()).isGreaterThanOrEqualTo(3);
    assertThat(dryRun.vacuumed()).isFalse();

    MaintainJob.Result vacuum =
        job.run(
                new MaintainJob.Options(
                    Optional.empty(),
                    false,
                    MaintainJob.ZOrder.NEVER,
                    true,
                    Duration.ZERO,
                    true,
                    false))
            .get(0);
    assertThat(vacuum.vacuumed()).isTrue();
    assertThat(lakehouse.read(SilverInteractions.NAME).count()).isEqualTo(300);
    assertThat(
            job.run(
                    new MaintainJob.Options(
                        Optional.empty(),
                        false,
                        MaintainJob.ZOrder.NEVER,
                        true,
                        Duration.ZERO,
                        true,
                        true))
                .get(0)
                .filesVacuumable())
        .isZero();
  }
}
