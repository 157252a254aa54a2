package dev.lakerank.jobs.cli;

import dev.lakerank.featurestore.definition.DurationText;
import dev.lakerank.jobs.JobErrors;
import dev.lakerank.jobs.catalog.TableName;
import dev.lakerank.jobs.maintain.MaintainJob;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "maintain",
    mixinStandardHelpOptions = true,
    description = {
      "OPTIMIZE and VACUUM the tables.",
      "OPTIMIZE Z-orders by the entity key where the table is large enough for it to pay and",
      "compacts otherwise; VACUUM deletes files older than the retention (default 168h, the safe",
      "minimum that keeps a week of time travel)."
    })
final class MaintainCommand extends LakerankSubcommand {
  @Option(names = "--table", paramLabel = "SCHEMA.TABLE", description = "Only this table.")
  String table;

  @Option(names = "--no-optimize", description = "Skip OPTIMIZE.")
  boolean noOptimize;

  @Option(names = "--no-vacuum", description = "Skip VACUUM.")
  boolean noVacuum;

  @Option(
      names = "--zorder",
      paramLabel = "WHEN",
      defaultValue = "auto",
      description =
          "auto (tables over 256 MiB with a Z-order key), always or never (default: ${DEFAULT-VALUE}).")
  String zOrder;

  @Option(
      names = "--retain",
      paramLabel = "DURATION",
      description = "VACUUM retention, e.g. 168h or 14d (maintain.vacuum-retention).")
  String retain;

  @Option(names = "--unsafe-retention", description = "Allow a retention under 168h.")
  boolean unsafeRetention;

  @Option(names = "--dry-run", description = "Count the files VACUUM would delete; delete nothing.")
  boolean dryRun;

  @Override
  protected int run(CommandContext context) {
    Duration retention;
    try {
      retention = retain == null ? context.config().vacuumRetention() : DurationText.parse(retain);
    } catch (IllegalArgumentException e) {
      throw JobErrors.invalidInput("--retain: " + e.getMessage());
    }
    MaintainJob.ZOrder when;
    try {
      when = MaintainJob.ZOrder.valueOf(zOrder.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw JobErrors.invalidInput("--zorder " + zOrder + ": use auto, always or never");
    }
    List<MaintainJob.Result> results =
        new MaintainJob(context.lakehouse(), context.reporter())
            .run(
                new MaintainJob.Options(
                    Optional.ofNullable(table).map(TableName::parse),
                    !noOptimize,
                    when,
                    !noVacuum,
                    retention,
                    unsafeRetention,
                    dryRun));
    context.finishProgress();
    for (MaintainJob.Result r : results) {
      context
          .out()
          .printf(
              "%-36s files %d -> %d%s; %d files %s%n",
              r.table(),
              r.filesBefore(),
              r.filesAfter(),
              r.zOrderedBy().isEmpty() ? "" : ", Z-ordered by " + String.join(", ", r.zOrderedBy()),
              r.filesVacuumable(),
              dryRun ? "would be vacuumed" : "vacuumed");
    }
    return 0;
  }
}
