package dev.lakerank.jobs.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lakerank.jobs.LakerankException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
  @TempDir Path directory;

  @Test
  void defaultsRunOnOneMachine() {
    LakerankConfig config = ConfigLoader.load(Optional.empty(), Map.of(), Map.of());
    assertThat(config.locations().lakehouseRoot()).isEqualTo("./lakehouse");
    assertThat(config.spark().master()).isEqualTo("local[*]");
    assertThat(config.vacuumRetention()).isEqualTo(Duration.ofHours(168));
    assertThat(config.resolved().origin(Settings.SPARK_MASTER)).isEqualTo("default");
  }

  @Test
  void flagsWinOverVariablesWhichWinOverTheFile() throws IOException {
    Path file =
        write("lakehouse:\n  root: /from/file\ngenerate:\n  events: 100\n  days: 3\n  users: 5\n");
    LakerankConfig config =
        ConfigLoader.load(
            Optional.of(file),
            Map.of("LAKERANK_GENERATE_EVENTS", "200", "LAKERANK_GENERATE_DAYS", "4"),
            Map.of("generate.events", "300"));
    assertThat(config.locations().lakehouseRoot()).isEqualTo("/from/file");
    assertThat(config.generate().users()).isEqualTo(5);
    assertThat(config.generate().days()).isEqualTo(4);
    assertThat(config.generate().events()).isEqualTo(300);
    assertThat(config.resolved().origin(Settings.GENERATE_DAYS))
        .isEqualTo("$LAKERANK_GENERATE_DAYS");
  }

  @Test
  void sparkPropertiesPassThroughVerbatim() throws IOException {
    Path file =
        write(
            "spark:\n  shuffle-partitions: 16\n  conf:\n    spark.sql.adaptive.enabled: \"false\"\n");
    LakerankConfig config =
        ConfigLoader.load(
            Optional.of(file), Map.of(), Map.of("spark.conf.spark.executor.memory", "2g"));
    assertThat(config.spark().shufflePartitions()).isEqualTo(16);
    assertThat(config.spark().extraConf())
        .containsEntry("spark.sql.adaptive.enabled", "false")
        .containsEntry("spark.executor.memory", "2g");
  }

  @Test
  void aKeyWithoutAValueIsAnErrorNotTheTextNull() throws IOException {
    Path file = write("lakehouse:\n  root:\n");
    assertThatThrownBy(() -> ConfigLoader.load(Optional.of(file), Map.of(), Map.of()))
        .isInstanceOf(LakerankException.class)
        .hasMessage(
            file
                + ": `lakehouse.root` has no value; give it one, or remove the line to keep the default");
  }

  @Test
  void theSessionTimeZoneStaysUtc() {
    LakerankConfig.SparkSettings berlin =
        new LakerankConfig.SparkSettings(
            "local[1]",
            2,
            false,
            "127.0.0.1",
            Map.of("spark.sql.session.timeZone", "Europe/Berlin"));
    assertThatThrownBy(
            () ->
                dev.lakerank.jobs.spark.SparkSessions.configure(
                    new org.apache.spark.SparkConf(false), berlin))
        .isInstanceOf(LakerankException.class)
        .hasMessageStartingWith(
            "spark.sql.session.timeZone=Europe/Berlin: Lakerank computes dates");
    LakerankConfig.SparkSettings etcUtc =
        new LakerankConfig.SparkSettings(
            "local[1]", 2, false, "127.0.0.1", Map.of("spark.sql.session.timeZone", "Etc/UTC"));
    assertThat(
            dev.lakerank.jobs.spark.SparkSessions.configure(
                    new org.apache.spark.SparkConf(false), etcUtc)
                .get("spark.sql.session.timeZone"))
        .isEqualTo("UTC");
  }

  @Test
  void anUnknownKeyIsAnErrorWithTheNearestKnownOne() throws IOException {
    Path file = write("lakehouse:\n  rot: /x\n");
    assertThatThrownBy(() -> ConfigLoader.load(Optional.of(file), Map.of(), Map.of()))
        .isInstanceOf(LakerankException.class)
        .hasMessage(
            "unknown setting `lakehouse.rot` in "
                + file
                + "; did you mean `lakehouse.root`? "
                + "(`lakerank config` lists every setting)");
  }

  @Test
  void aValueOutOfRangeSaysWhatIsAllowed() {
    assertThatThrownBy(
            () ->
                ConfigLoader.load(
                    Optional.empty(), Map.of(), Map.of("generate.dirty-fraction", "0.9")))
        .isInstanceOf(LakerankException.class)
        .hasMessage(
            "setting `generate.dirty-fraction` is `0.9` (from flag): out of range; expected number in [0, 0.5]");
  }

  @Test
  void aNamedFileMustExist() {
    Path missing = directory.resolve("nope.yaml");
    assertThatThrownBy(() -> ConfigLoader.load(Optional.of(missing), Map.of(), Map.of()))
        .isInstanceOf(LakerankException.class)
        .hasMessageContaining("does not exist");
  }

  @Test
  void theVariableNamesTheFileWhenNoFlagDoes() throws IOException {
    Path file = write("spark:\n  master: local[2]\n");
    LakerankConfig config =
        ConfigLoader.load(Optional.empty(), Map.of("LAKERANK_CONFIG", file.toString()), Map.of());
    assertThat(config.spark().master()).isEqualTo("local[2]");
  }

  @Test
  void durationsReadInEveryCommonForm() {
    LakerankConfig config =
        ConfigLoader.load(
            Optional.empty(),
            Map.of(),
            Map.of("transform.future-tolerance", "PT90S", "maintain.vacuum-retention", "14d"));
    assertThat(config.transformFutureTolerance()).isEqualTo(Duration.ofSeconds(90));
    assertThat(config.vacuumRetention()).isEqualTo(Duration.ofDays(14));
  }

  private Path write(String yaml) throws IOException {
    Path file = directory.resolve("lakerank.yaml");
    Files.writeString(file, yaml);
    return file;
  }
}
