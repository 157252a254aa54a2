package dev.lakerank.jobs.transform;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;

import dev.lakerank.jobs.JobErrors;
import dev.lakerank.jobs.Reporter;
import dev.lakerank.jobs.catalog.Lakehouse;
import dev.lakerank.jobs.catalog.TableDefinition;
import dev.lakerank.jobs.catalog.TableName;
import dev.lakerank.jobs.tables.BronzeTable;
import dev.lakerank.jobs.tables.IngestMetadata;
import dev.lakerank.jobs.tables.QuarantineTable;
import dev.lakerank.jobs.tables.RowOrigin;
import dev.lakerank.jobs.tables.SilverInteractions;
import dev.lakerank.jobs.tables.SilverItems;
import dev.lakerank.jobs.tables.SilverUsers;
import dev.lakerank.jobs.tables.TransformRuns;
import dev.lakerank.jobs.validate.Expectation;
import dev.lakerank.jobs.validate.Validation;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * {@code lakerank transform}: bronze rows committed since the last run, validated, into silver and
 * quarantine.
 *
 * <p>Order: users, then items (so events can be checked against them), then events. Each table's
 * run is safe to repeat after a crash: the quarantine append is idempotent (Delta's {@code
 * txnAppId}/{@code txnVersion}), the silver MERGE inserts only keys it lacks, and the bronze
 * version where the next run starts is recorded last, in {@code ops.transform_runs}.
 */
public final class TransformJob {
  private static final String FIRST_SEEN = "_first_seen";

  /** Columns of the metrics row Delta's MERGE returns. */
  private static final String MERGE_INSERTED = "num_inserted_rows";

  /** userMetadata of a quarantine append: {@code transform <run id> up to bronze version <n>}. */
  private static final String MARKER_PREFIX = "transform ";

  private static final String MARKER_VERSION = " up to bronze version ";
  private static final int QUARANTINE_HISTORY_DEPTH = 20;
  private static final String MERGE_UPDATED = "num_updated_rows";
  private static final DateTimeFormatter RUN_TIME =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);

  private final Lakehouse lakehouse;
  private final SparkSession spark;
  private final Clock clock;
  private final Duration futureTolerance;
  private final Reporter reporter;

  public TransformJob(
      Lakehouse lakehouse, Clock clock, Duration futureTolerance, Reporter reporter) {
    this.lakehouse = lakehouse;
    this.spark = lakehouse.spark();
    this.clock = clock;
    this.futureTolerance = futureTolerance;
    this.reporter = reporter;
  }

  /**
   * Transforms what arrived in bronze since the last run.
   *
   * @param full read every bronze row again instead of only the new ones (silver keeps one row per
   *     key, so repeats count as duplicates); for recovering from lost history
   */
  public TransformSummary run(boolean full) {
    Instant started = clock.instant();
    String runId =
        "transform-"
            + RUN_TIME.format(started)
            + "-"
            + String.format("%06x", ThreadLocalRandom.current().nextInt(0x1000000));
    if (!lakehouse.exists(BronzeTable.EVENTS.tableName())
        && !lakehouse.exists(BronzeTable.USERS.tableName())
        && !lakehouse.exists(BronzeTable.ITEMS.tableName())) {
      throw JobErrors.notFound(
          "no bronze tables under "
              + lakehouse.root()
              + "; ingest source files first (lakerank ingest <files>)");
    }
    for (TableDefinition definition :
        List.of(
            SilverInteractions.DEFINITION,
            SilverUsers.DEFINITION,
            SilverItems.DEFINITION,
            TransformRuns.DEFINITION)) {
      lakehouse.createIfNotExists(definition);
    }
    boolean usersFromSource = lakehouse.exists(BronzeTable.USERS.tableName());
    boolean itemsFromSource = lakehouse.exists(BronzeTable.ITEMS.tableName());

    List<Reconciliation> results = new ArrayList<>();
    List<Row> runs = new ArrayList<>();
    if (usersFromSource) {
      for (BronzeRange range : ranges(BronzeTable.USERS, full)) {
        record(
            results,
            runs,
            dimension(
                range,
                SilverUsers.NAME,
                SilverUsers.USER_ID,
                EventRules.USER_FIELDS,
                EventRules.users(started, futureTolerance),
                valid -> SilverRows.users(valid, started),
                runId,
                started),
            runId,
            started);
      }
    }
    if (itemsFromSource) {
      for (BronzeRange range : ranges(BronzeTable.ITEMS, full)) {
        record(
            results,
            runs,
            dimension(
                range,
                SilverItems.NAME,
                SilverItems.ITEM_ID,
                EventRules.ITEM_FIELDS,
                EventRules.items(started, futureTolerance),
                valid -> SilverRows.items(valid, started),
                runId,
                started),
            runId,
            started);
      }
    }
    if (lakehouse.exists(BronzeTable.EVENTS.tableName())) {
      for (BronzeRange range : ranges(BronzeTable.EVENTS, full)) {
        record(
            results,
            runs,
            events(range, usersFromSource, itemsFromSource, runId, started),
            runId,
            started);
      }
    }
    if (!runs.isEmpty()) {
      spark
          .createDataFrame(runs, TransformRuns.SCHEMA)
          .write()
          .format("delta")
          .mode(SaveMode.Append)
          .save(lakehouse.location(TransformRuns.NAME));
    }
    for (Reconciliation result : results) {
      if (!result.balances()) {
        throw new IllegalStateException(
            "transform of " + result.table().tableName() + " does not reconcile: " + result);
      }
    }
    return new TransformSummary(runId, results);
  }

  private void record(
      List<Reconciliation> results,
      List<Row> runs,
      Reconciliation r,
      String runId,
      Instant started) {
    results.add(r);
    runs.add(
        RowFactory.create(
            runId,
            r.table().tableName().toString(),
            r.fromVersion(),
            r.toVersion(),
            r.bronzeRows(),
            r.inserted(),
            r.updated(),
            r.quarantined(),
            r.duplicates(),
            Timestamp.from(started),
            Timestamp.from(clock.instant())));
  }

  private Reconciliation dimension(
      BronzeRange range,
      TableName target,
      String key,
      Map<String, UnaryOperator<Column>> fields,
      List<Expectation> rules,
      Function<Dataset<Row>, Dataset<Row>> typed,
      String runId,
      Instant started) {
    BronzeTable source = range.table;
    reporter.step("transform " + source.tableName() + " -> " + target + range.describe());
    Dataset<Row> checked = Validation.check(ParsedFields.add(range.read(), fields), rules);
    Counts counts = quarantine(source, checked, rules, runId, started, range);
    long total = counts.total();
    long rejected = counts.rejected();

    Dataset<Row> latest = SilverRows.latestPerKey(typed.apply(Validation.valid(checked)), key);
    Row metrics =
        lakehouse
            .delta(target)
            .as("t")
            .merge(latest.as("s"), col("t." + key).equalTo(col("s." + key)))
            .whenMatched()
            .updateAll()
            .whenNotMatched()
            .insertAll()
            .execute()
            .head();
    long inserted = metrics.getAs(MERGE_INSERTED);
    long updated = metrics.getAs(MERGE_UPDATED);
    long superseded = (total - rejected) - inserted - updated;
    return new Reconciliation(
        source,
        range.fromExclusive(),
        range.toInclusive(),
        total,
        inserted,
        updated,
        rejected,
        superseded,
        0,
        counts.rejectedByRule());
  }

  private Reconciliation events(
      BronzeRange range, boolean checkUsers, boolean checkItems, String runId, Instant started) {
    reporter.step(
        "transform "
            + BronzeTable.EVENTS.tableName()
            + " -> "
            + SilverInteractions.NAME
            + range.describe());
    Optional<Dataset<Row>> users =
        checkUsers ? Optional.of(lakehouse.read(SilverUsers.NAME)) : Optional.empty();
    Optional<Dataset<Row>> items =
        checkItems ? Optional.of(lakehouse.read(SilverItems.NAME)) : Optional.empty();
    Dataset<Row> flagged =
        SilverRows.withKnownFlags(SilverRows.parseEvents(range.read()), users, items);
    List<Expectation> rules = EventRules.events(started, futureTolerance, checkUsers, checkItems);
    Dataset<Row> checked = Validation.check(flagged, rules);
    Counts counts = quarantine(BronzeTable.EVENTS, checked, rules, runId, started, range);
    long total = counts.total();
    long rejected = counts.rejected();

    Dataset<Row> fresh =
        SilverRows.firstPerEvent(SilverRows.interactions(Validation.valid(checked)));
    long inserted =
        lakehouse
            .delta(SilverInteractions.NAME)
            .as("t")
            .merge(
                fresh.as("s"),
                col("t." + SilverInteractions.EVENT_ID)
                    .equalTo(col("s." + SilverInteractions.EVENT_ID)))
            .whenNotMatched()
            .insertAll()
            .execute()
            .head()
            .<Long>getAs(MERGE_INSERTED);
    long duplicates = (total - rejected) - inserted;

    long derived = 0;
    if (!checkUsers) {
      derived +=
          deriveDimension(
              SilverUsers.NAME,
              SilverUsers.USER_ID,
              SilverInteractions.USER_ID,
              SilverUsers.SCHEMA,
              started);
    }
    if (!checkItems) {
      derived +=
          deriveDimension(
              SilverItems.NAME,
              SilverItems.ITEM_ID,
              SilverInteractions.ITEM_ID,
              SilverItems.SCHEMA,
              started);
    }
    return new Reconciliation(
        BronzeTable.EVENTS,
        range.fromExclusive(),
        range.toInclusive(),
        total,
        inserted,
        0,
        rejected,
        duplicates,
        derived,
        counts.rejectedByRule());
  }

  /**
   * Adds to a dimension table the ids that events name and it lacks, with only what the events tell
   * (a user's signup time is taken as their first event): for data sets such as MovieLens ratings
   * that come without users or items files.
   */
  private long deriveDimension(
      TableName target, String key, String eventKey, StructType schema, Instant started) {
    Dataset<Row> seen =
        lakehouse
            .read(SilverInteractions.NAME)
            .groupBy(col(eventKey).alias(key))
            .agg(
                min(SilverInteractions.EVENT_TIME).alias(FIRST_SEEN),
                max(IngestMetadata.BATCH_ID).alias(IngestMetadata.BATCH_ID));
    List<Column> columns = new ArrayList<>();
    for (StructField field : schema.fields()) {
      String name = field.name();
      Column value;
      if (name.equals(key) || name.equals(IngestMetadata.BATCH_ID)) {
        value = col(name);
      } else if (name.equals(SilverUsers.SIGNUP_TIME)) {
        value = col(FIRST_SEEN);
      } else if (name.equals(SilverUsers.ORIGIN)) {
        value = lit(RowOrigin.DERIVED.value());
      } else if (name.equals(SilverUsers.UPDATED_AT)) {
        value = lit(Timestamp.from(started));
      } else {
        value = lit(null).cast(field.dataType());
      }
      columns.add(value.alias(name));
    }
    return lakehouse
        .delta(target)
        .as("t")
        .merge(
            seen.select(columns.toArray(Column[]::new)).as("s"),
            col("t." + key).equalTo(col("s." + key)))
        .whenNotMatched()
        .insertAll()
        .execute()
        .head()
        .<Long>getAs(MERGE_INSERTED);
  }

  /** Rows read, and the rows rejected by each first rule. */
  private record Counts(long total, Map<String, Long> rejectedByRule) {
    long rejected() {
      return rejectedByRule.values().stream().mapToLong(Long::longValue).sum();
    }
  }

  /**
   * Appends the rejected rows of {@code checked} to the quarantine table and counts what was read
   * and rejected. Counting costs no pass over the rows: the total comes from the bronze files'
   * statistics and the rejects from the quarantine rows just written. Only when the append was
   * skipped, because an interrupted earlier run already wrote these rejects, are the rows counted.
   */
  private Counts quarantine(
      BronzeTable source,
      Dataset<Row> checked,
      List<Expectation> rules,
      String runId,
      Instant started,
      BronzeRange range) {
    TableDefinition definition = QuarantineTable.definition(source);
    lakehouse.createIfNotExists(definition);
    String marker = MARKER_PREFIX + runId + MARKER_VERSION + range.toInclusive();
    Dataset<Row> rejected =
        ParsedFields.drop(Validation.rejected(checked, rules))
            .withColumn(QuarantineTable.QUARANTINED_AT, lit(Timestamp.from(started)))
            .withColumn(QuarantineTable.TRANSFORM_RUN_ID, lit(runId))
            // a file's row has no message: its fields are as read, an unreadable line in
            // _corrupt_record
            .withColumn(QuarantineTable.RAW_PAYLOAD, lit(null).cast(DataTypes.StringType));
    rejected
        .select(definition.schema().fieldNames()[0], tail(definition.schema().fieldNames()))
        .write()
        .format("delta")
        .mode(SaveMode.Append)
        .option("userMetadata", marker)
        // a quarantine table from before raw_payload gets the column
        .option("mergeSchema", "true")
        // a repeated run over the same bronze versions writes its rejects once
        .option("txnAppId", "lakerank-transform-" + source.value())
        .option("txnVersion", range.toInclusive())
        .save(lakehouse.location(definition.name()));

    Row last = lakehouse.delta(definition.name()).history(1).select("userMetadata").head();
    if (!marker.equals(last.getString(0))) {
      Map<String, Long> firstRules = countByFirstRule(checked);
      long total = firstRules.values().stream().mapToLong(Long::longValue).sum();
      firstRules.remove("");
      return new Counts(total, firstRules);
    }
    Map<String, Long> byRule = new LinkedHashMap<>();
    for (Row row :
        lakehouse
            .read(definition.name())
            .where(col(QuarantineTable.TRANSFORM_RUN_ID).equalTo(runId))
            .groupBy(QuarantineTable.RULE)
            .count()
            .orderBy(col("count").desc())
            .collectAsList()) {
      byRule.put(row.getString(0), row.getLong(1));
    }
    return new Counts(range.read().count(), byRule);
  }

  private static String[] tail(String[] names) {
    String[] rest = new String[names.length - 1];
    System.arraycopy(names, 1, rest, 0, rest.length);
    return rest;
  }

  /** Row counts by the first rule each row broke; valid rows under "". */
  private static Map<String, Long> countByFirstRule(Dataset<Row> checked) {
    Map<String, Long> counts = new LinkedHashMap<>();
    for (Row row :
        checked
            .groupBy(coalesce(col(Validation.FIRST_RULE), lit("")).alias(QuarantineTable.RULE))
            .count()
            .collectAsList()) {
      counts.put(row.getString(0), row.getLong(1));
    }
    return counts;
  }

  /**
   * The bronze versions to transform: those after the last recorded run, split in two when an
   * interrupted run already quarantined part of them. That part is transformed first, alone, so
   * that its quarantine append is recognised as done (same {@code txnVersion}) instead of written
   * again with the versions that arrived after it.
   */
  private List<BronzeRange> ranges(BronzeTable table, boolean full) {
    long to = lakehouse.version(table.tableName());
    long from = -1;
    if (!full && lakehouse.exists(TransformRuns.NAME)) {
      Row last =
          lakehouse
              .read(TransformRuns.NAME)
              .where(col(TransformRuns.SOURCE_TABLE).equalTo(table.tableName().toString()))
              .agg(max(TransformRuns.BRONZE_VERSION_TO))
              .head();
      from = last.isNullAt(0) ? -1 : last.getLong(0);
    }
    List<BronzeRange> ranges = new ArrayList<>();
    // an interrupted range lies strictly inside (from, to), so only a run over two or more new
    // versions needs to look for one in the quarantine history
    long interrupted = full || to - from < 2 ? -1 : lastQuarantinedVersion(table);
    if (interrupted > from && interrupted < to) {
      ranges.add(new BronzeRange(table, from, interrupted));
      from = interrupted;
    }
    ranges.add(new BronzeRange(table, from, to));
    return ranges.stream().filter(range -> !range.isEmpty()).toList();
  }

  /** The last bronze version whose rejects a transform appended to quarantine, or -1. */
  private long lastQuarantinedVersion(BronzeTable table) {
    TableName quarantine = QuarantineTable.name(table);
    if (!lakehouse.exists(quarantine)) {
      return -1;
    }
    // OPTIMIZE and VACUUM commit too, so look back past a few of them
    for (Row commit :
        lakehouse
            .delta(quarantine)
            .history(QUARANTINE_HISTORY_DEPTH)
            .select("userMetadata")
            .collectAsList()) {
      String metadata = commit.getString(0);
      if (metadata != null
          && metadata.startsWith(MARKER_PREFIX)
          && metadata.contains(MARKER_VERSION)) {
        return Long.parseLong(
            metadata.substring(metadata.lastIndexOf(MARKER_VERSION) + MARKER_VERSION.length()));
      }
    }
    return -1;
  }

  /** Bronze rows committed after {@code fromExclusive} up to {@code toInclusive}. */
  private final class BronzeRange {
    private final BronzeTable table;
    private final long fromExclusive;
    private final long toInclusive;

    BronzeRange(BronzeTable table, long fromExclusive, long toInclusive) {
      this.table = table;
      this.fromExclusive = fromExclusive;
      this.toInclusive = toInclusive;
    }

    long fromExclusive() {
      return fromExclusive;
    }

    long toInclusive() {
      return toInclusive;
    }

    boolean isEmpty() {
      return toInclusive <= fromExclusive;
    }

    String describe() {
      return fromExclusive < 0
          ? " (bronze up to version " + toInclusive + ")"
          : " (bronze versions " + (fromExclusive + 1) + ".." + toInclusive + ")";
    }

    Dataset<Row> read() {
      String[] bronzeColumns = table.definition().schema().fieldNames();
      if (fromExclusive < 0) {
        return lakehouse.read(table.tableName(), toInclusive);
      }
      try {
        return spark
            .read()
            .format("delta")
            .option("readChangeFeed", "true")
            .option("startingVersion", fromExclusive + 1)
            .option("endingVersion", toInclusive)
            .load(lakehouse.location(table.tableName()))
            .where(col("_change_type").equalTo("insert"))
            .select(bronzeColumns[0], tail(bronzeColumns));
      } catch (RuntimeException e) {
        throw JobErrors.conflict(
            "cannot read the changes of "
                + table.tableName()
                + " since version "
                + fromExclusive
                + " ("
                + e.getMessage()
                + "); run `lakerank transform --full` to read the whole table again",
            e);
      }
    }
  }
}
