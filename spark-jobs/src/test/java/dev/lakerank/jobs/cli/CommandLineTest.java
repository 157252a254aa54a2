package dev.lakerank.jobs.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lakerank.jobs.testing.CliRun;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class CommandLineTest {
  @TempDir Path directory;

  @Test
  void everyCommandHasHelp() {
    List<List<String>> paths = new ArrayList<>();
    collect(new CommandLine(new LakerankCommand(null)), new ArrayList<>(), paths);
    assertThat(paths).hasSizeGreaterThan(12);
    for (List<String> path : paths) {
      List<String> args = new ArrayList<>(path);
      args.add("--help");
      CliRun run = CliRun.run(Map.of(), args.toArray(String[]::new));
      assertThat(run.exitCode()).as(String.join(" ", args)).isZero();
      assertThat(run.out())
          .as(String.join(" ", args))
          .startsWith("Usage: lakerank")
          .contains("--help");
    }
  }

  @Test
  void anUnknownOptionIsAUsageError() {
    CliRun run = CliRun.run(Map.of(), "tables", "--colour");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("Unknown option: '--colour'");
  }

  @Test
  void aUserErrorPrintsItsMessageWithoutATrace() {
    CliRun run =
        CliRun.run(
            Map.of(), "--lakehouse", directory.toString(), "sql", "SELECT * FROM silver.nothing");
    assertThat(run.exitCode()).isEqualTo(LakerankCommand.USER_ERROR);
    assertThat(run.err())
        .startsWith("error: ")
        .contains("`silver`.`nothing` cannot be found")
        .contains("there are no tables under")
        .doesNotContain("\tat ");
  }

  @Test
  void sqlShowsArraysMapsAndStructsAsSqlDoes() {
    CliRun run =
        CliRun.run(
            Map.of(),
            "--lakehouse",
            directory.toString(),
            "sql",
            "SELECT array(1, 2) AS a, map('k', 3) AS m, named_struct('x', 1, 'y', 'z') AS s, array() AS e",
            "--format",
            "csv");
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).isEqualTo("a,m,s,e\n\"[1, 2]\",{k -> 3},\"{1, z}\",[]\n");
  }

  @Test
  void aBadSettingNamesTheSettingAndWhereItCameFrom() {
    CliRun run = CliRun.run(Map.of("LAKERANK_GENERATE_EVENTS", "many"), "config");
    assertThat(run.exitCode()).isEqualTo(LakerankCommand.USER_ERROR);
    assertThat(run.err())
        .contains(
            "setting `generate.events` is `many` (from $LAKERANK_GENERATE_EVENTS): not a whole number");
  }

  @Test
  void featureStoreCommandsNameWhatIsWrong() {
    CliRun badStore = CliRun.run(Map.of(), "--set", "features.online-store=memcached:1", "config");
    assertThat(badStore.exitCode()).isEqualTo(LakerankCommand.USER_ERROR);
    assertThat(badStore.err())
        .contains("setting `features.online-store` is `memcached:1`")
        .contains("write `repo`, sqlite:<path> or redis:<host>:<port>");

    Path data = directory.resolve("feature-data");
    CliRun notApplied =
        CliRun.run(
            Map.of(),
            "--lakehouse",
            directory.toString(),
            "--feature-repo",
            "../feature-repo",
            "--set",
            "features.data-root=" + data,
            "features",
            "materialize",
            "--end",
            "2026-01-31");
    assertThat(notApplied.exitCode()).isEqualTo(LakerankCommand.USER_ERROR);
    assertThat(notApplied.err())
        .contains("no feature registry at")
        .contains("run `lakerank features apply` first")
        .doesNotContain("\tat ");

    CliRun badTime =
        CliRun.run(
            Map.of(),
            "--lakehouse",
            directory.toString(),
            "--feature-repo",
            "../feature-repo",
            "--set",
            "features.data-root=" + data,
            "features",
            "materialize",
            "--end",
            "yesterday");
    assertThat(badTime.exitCode()).isEqualTo(LakerankCommand.USER_ERROR);
    assertThat(badTime.err())
        .contains(
            "--end `yesterday` is not a time; write 2026-01-15T00:00:00Z, 2026-01-15, now or latest");
  }

  @Test
  void configShowsWhereEachValueCameFrom() {
    CliRun run =
        CliRun.run(
            Map.of("LAKERANK_GENERATE_DAYS", "9"),
            "config",
            "--lakehouse",
            "/data/lh",
            "--set",
            "generate.seed=7",
            "--format",
            "csv");
    assertThat(run.exitCode()).isZero();
    assertThat(run.out())
        .contains("lakehouse.root,/data/lh,flag,")
        .contains("generate.days,9,$LAKERANK_GENERATE_DAYS,")
        .contains("generate.seed,7,flag,")
        .contains("generate.users,10000,default,");
  }

  @Test
  void listsNoTablesOfAnEmptyLakehouseAndSaysHowToMakeThem() {
    CliRun run = CliRun.run(Map.of(), "--lakehouse", directory.toString(), "tables");
    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).contains("no tables under").contains("lakerank pipeline run");
  }

  private static void collect(CommandLine command, List<String> path, List<List<String>> paths) {
    paths.add(path);
    for (var entry : command.getSubcommands().entrySet()) {
      if (entry.getKey().equals("help")) {
        continue;
      }
      List<String> child = new ArrayList<>(path);
      child.add(entry.getKey());
      collect(entry.getValue(), child, paths);
    }
  }
}
