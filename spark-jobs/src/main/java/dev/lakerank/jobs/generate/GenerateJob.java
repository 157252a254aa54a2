package dev.lakerank.jobs.generate;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.lakerank.jobs.JobErrors;
import dev.lakerank.jobs.Reporter;
import dev.lakerank.jobs.tables.SilverItems;
import dev.lakerank.jobs.tables.SilverUsers;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.DoubleAccumulator;
import org.apache.spark.util.LongAccumulator;

/**
 * {@code lakerank generate}: a synthetic interaction data set whose truth is known, written as an
 * upstream system would write it (see {@link GeneratedFiles}), plus the truth for evaluation.
 *
 * <p>Executors simulate impressions from their index ({@link ImpressionSimulator}); the driver
 * holds no data, so the size is limited by disk, not memory. The same settings give the same files.
 */
public final class GenerateJob {
  private static final long IMPRESSIONS_PER_PARTITION = 250_000;
  private static final long ENTITIES_PER_PARTITION = 1_000_000;
  private static final Pattern SPARK_PART =
      Pattern.compile("part-(\\d+)-[0-9a-f]{8}(?:-[0-9a-f]{4}){3}-[0-9a-f]{12}[.-]c(\\d+)(\\..+)");

  private final SparkSession spark;
  private final Reporter reporter;

  public GenerateJob(SparkSession spark, Reporter reporter) {
    this.spark = spark;
    this.reporter = reporter;
  }

  /**
   * Writes the data set of {@code settings} into {@code output}.
   *
   * @param overwrite replace an existing data set; without it, a non-empty {@code output} is an
   *     error
   */
  public GenerateSummary run(GenerateSettings settings, String output, boolean overwrite) {
    FileSystem fs = fileSystem(output);
    prepareOutput(fs, new Path(output), overwrite);
    SyntheticWorld world = new SyntheticWorld(settings);
    ImpressionSimulator simulator = new ImpressionSimulator(world);
    EventLines eventLines = new EventLines(settings);

    LongAccumulator impressions = spark.sparkContext().longAccumulator("impressions");
    LongAccumulator clicks = spark.sparkContext().longAccumulator("clicks");
    LongAccumulator purchases = spark.sparkContext().longAccumulator("purchases");
    LongAccumulator ratings = spark.sparkContext().longAccumulator("ratings");
    LongAccumulator lineCount = spark.sparkContext().longAccumulator("lines");
    LongAccumulator corruptedLines = spark.sparkContext().longAccumulator("corrupted lines");
    LongAccumulator copiedLines = spark.sparkContext().longAccumulator("duplicated lines");
    LongAccumulator cleanCopies = spark.sparkContext().longAccumulator("duplicated clean lines");
    DoubleAccumulator probabilitySum = spark.sparkContext().doubleAccumulator("p_click");

    int partitions =
        (int)
            Math.max(
                1, (settings.events() + IMPRESSIONS_PER_PARTITION - 1) / IMPRESSIONS_PER_PARTITION);
    Dataset<Long> indexes = spark.range(0, settings.events(), 1, partitions);

    reporter.step(
        "generate: " + settings.events() + " impressions over " + settings.days() + " days");
    StructType lineSchema =
        new StructType()
            .add("value", DataTypes.StringType, false)
            .add("date", DataTypes.StringType, false);
    FlatMapFunction<Long, Row> toLines =
        index -> {
          Impression impression = simulator.simulate(index);
          impressions.add(1);
          probabilitySum.add(impression.clickProbability());
          clicks.add(impression.clicked() ? 1 : 0);
          purchases.add(impression.purchased() ? 1 : 0);
          ratings.add(impression.rated() ? 1 : 0);
          List<EventLines.Line> lines = eventLines.lines(impression);
          List<Row> rows = new ArrayList<>(lines.size());
          for (EventLines.Line line : lines) {
            rows.add(RowFactory.create(line.json(), line.date()));
            lineCount.add(1);
            corruptedLines.add(line.corrupted() ? 1 : 0);
            copiedLines.add(line.copy() ? 1 : 0);
            cleanCopies.add(line.copy() && !line.corrupted() ? 1 : 0);
          }
          return rows.iterator();
        };
    indexes
        .flatMap(toLines, Encoders.row(lineSchema))
        .write()
        .mode(SaveMode.Overwrite)
        .partitionBy("date")
        .text(output + "/" + GeneratedFiles.EVENTS);
    long modified = world.endEpochSecond() * 1000;
    tidy(fs, new Path(output, GeneratedFiles.EVENTS), ".jsonl", modified);

    reporter.step("generate: truth of every impression (for evaluation only)");
    writeTruth(indexes, simulator, eventLines, output);

    reporter.step("generate: " + settings.users() + " users and " + settings.items() + " items");
    writeUsers(world, output);
    writeItems(world, output);
    writeFactors(world, output);
    tidy(fs, new Path(output, GeneratedFiles.USERS), ".csv", modified);
    tidy(fs, new Path(output, GeneratedFiles.ITEMS), ".csv", modified);

    GenerateSummary summary =
        new GenerateSummary(
            output,
            impressions.value(),
            clicks.value(),
            purchases.value(),
            ratings.value(),
            lineCount.value(),
            corruptedLines.value(),
            copiedLines.value(),
            cleanCopies.value(),
            settings.users(),
            settings.items(),
            impressions.value() == 0 ? 0 : probabilitySum.value() / impressions.value());
    writeManifest(fs, new Path(output, GeneratedFiles.MANIFEST), settings, summary);
    return summary;
  }

  /** The settings recorded by the last run in {@code output}, or null when there is none. */
  public static Map<String, Object> readManifest(SparkSession spark, String output) {
    Path path = new Path(output, GeneratedFiles.MANIFEST);
    try {
      FileSystem fs = path.getFileSystem(spark.sparkContext().hadoopConfiguration());
      if (!fs.exists(path)) {
        return null;
      }
      try (var in = fs.open(path)) {
        @SuppressWarnings("unchecked")
        Map<String, Object> manifest =
            new ObjectMapper().readValue((java.io.InputStream) in, Map.class);
        return manifest;
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + path, e);
    }
  }

  /** Whether {@code manifest} (from {@link #readManifest}) records exactly {@code settings}. */
  public static boolean recordsSettings(Map<String, Object> manifest, GenerateSettings settings) {
    if (manifest == null) {
      return false;
    }
    try {
      // through text, so that numbers take the types they have when the manifest is read back
      Map<?, ?> current = mapper().readValue(mapper().writeValueAsString(settings), Map.class);
      return current.equals(manifest.get("settings"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static ObjectMapper mapper() {
    return new ObjectMapper()
        .registerModule(new JavaTimeModule())
        .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
        .enable(SerializationFeature.INDENT_OUTPUT);
  }

  private void writeTruth(
      Dataset<Long> indexes, ImpressionSimulator simulator, EventLines eventLines, String output) {
    StructType schema =
        new StructType()
            .add(GeneratedFiles.IMPRESSION_ID, DataTypes.StringType, false)
            .add(GeneratedFiles.USER_ID, DataTypes.LongType, false)
            .add(GeneratedFiles.ITEM_ID, DataTypes.LongType, false)
            .add(GeneratedFiles.EVENT_TIME, DataTypes.TimestampType, false)
            .add(GeneratedFiles.DEVICE, DataTypes.StringType, false)
            .add(GeneratedFiles.HOUR, DataTypes.IntegerType, false)
            .add(GeneratedFiles.AFFINITY, DataTypes.DoubleType, false)
            .add(GeneratedFiles.P_CLICK, DataTypes.DoubleType, false)
            .add(GeneratedFiles.CLICKED, DataTypes.BooleanType, false)
            .add(GeneratedFiles.PURCHASED, DataTypes.BooleanType, false)
            .add(GeneratedFiles.DRIFTED, DataTypes.BooleanType, false)
            .add(GeneratedFiles.CORRUPTION, DataTypes.StringType, true);
    MapFunction<Long, Row> toTruth =
        n -> {
          Impression i = simulator.simulate(n);
          Corruption corruption = eventLines.corruption(n, 0);
          return RowFactory.create(
              i.impressionId(),
              i.user(),
              i.item(),
              new Timestamp(i.timeMillis()),
              SyntheticWorld.DEVICES.get(i.device()),
              i.hour(),
              i.affinity(),
              i.clickProbability(),
              i.clicked(),
              i.purchased(),
              i.drifted(),
              corruption == null ? null : corruption.name());
        };
    indexes
        .map(toTruth, Encoders.row(schema))
        .write()
        .mode(SaveMode.Overwrite)
        .parquet(output + "/" + GeneratedFiles.TRUTH_IMPRESSIONS);
  }

  private void writeUsers(SyntheticWorld world, String output) {
    GenerateSettings settings = world.settings();
    StructType schema =
        stringSchema(
            SilverUsers.USER_ID,
            SilverUsers.SIGNUP_TIME,
            SilverUsers.COUNTRY,
            SilverUsers.AGE_BAND);
    FlatMapFunction<Long, Row> toRows =
        user -> {
          List<Row> rows = new ArrayList<>(2);
          rows.add(
              RowFactory.create(
                  Long.toString(user),
                      Instant.ofEpochSecond(world.userSignupEpochSecond(user)).toString(),
                  world.userCountry(user), world.userAgeBand(user)));
          SplittableRandom dirt = RandomStreams.of(settings.seed(), 9, user);
          if (dirt.nextDouble() < settings.dirtyFraction()) {
            // a broken re-send of the record; the good one above stands
            rows.add(
                dirt.nextBoolean()
                    ? RowFactory.create(
                        "user-" + user, "2025-01-01T00:00:00Z", world.userCountry(user), null)
                    : RowFactory.create(
                        Long.toString(user),
                        "2025-13-45",
                        world.userCountry(user),
                        world.userAgeBand(user)));
          }
          return rows.iterator();
        };
    int partitions = (int) Math.max(1, settings.users() / ENTITIES_PER_PARTITION);
    spark
        .range(1, settings.users() + 1, 1, partitions)
        .flatMap(toRows, Encoders.row(schema))
        .write()
        .mode(SaveMode.Overwrite)
        .option("header", "true")
        .csv(output + "/" + GeneratedFiles.USERS);
  }

  private void writeItems(SyntheticWorld world, String output) {
    GenerateSettings settings = world.settings();
    StructType schema =
        stringSchema(
            SilverItems.ITEM_ID, SilverItems.CATEGORY, SilverItems.PRICE, SilverItems.CREATED_TIME);
    FlatMapFunction<Long, Row> toRows =
        item -> {
          List<Row> rows = new ArrayList<>(2);
          String category = SyntheticWorld.categoryName(world.category(item));
          String created = Instant.ofEpochSecond(world.itemCreatedEpochSecond(item)).toString();
          rows.add(
              RowFactory.create(
                  Long.toString(item),
                  category,
                  String.format("%.2f", world.price(item)),
                  created));
          SplittableRandom dirt = RandomStreams.of(settings.seed(), 10, item);
          if (dirt.nextDouble() < settings.dirtyFraction()) {
            rows.add(
                dirt.nextBoolean()
                    ? RowFactory.create(Long.toString(item), category, "-1.00", created)
                    : RowFactory.create(Long.toString(item), null, "n/a", created));
          }
          return rows.iterator();
        };
    int partitions = (int) Math.max(1, settings.items() / ENTITIES_PER_PARTITION);
    spark
        .range(1, settings.items() + 1, 1, partitions)
        .flatMap(toRows, Encoders.row(schema))
        .write()
        .mode(SaveMode.Overwrite)
        .option("header", "true")
        .csv(output + "/" + GeneratedFiles.ITEMS);
  }

  private void writeFactors(SyntheticWorld world, String output) {
    StructType schema =
        new StructType()
            .add("id", DataTypes.LongType, false)
            .add(
                GeneratedFiles.FACTORS,
                DataTypes.createArrayType(DataTypes.DoubleType, false),
                false);
    MapFunction<Long, Row> users = id -> RowFactory.create(id, world.userFactors(id));
    MapFunction<Long, Row> items = id -> RowFactory.create(id, world.itemFactors(id));
    GenerateSettings settings = world.settings();
    spark
        .range(1, settings.users() + 1)
        .map(users, Encoders.row(schema))
        .write()
        .mode(SaveMode.Overwrite)
        .parquet(output + "/" + GeneratedFiles.TRUTH_USER_FACTORS);
    spark
        .range(1, settings.items() + 1)
        .map(items, Encoders.row(schema))
        .write()
        .mode(SaveMode.Overwrite)
        .parquet(output + "/" + GeneratedFiles.TRUTH_ITEM_FACTORS);
  }

  private static StructType stringSchema(String... names) {
    StructType schema = new StructType();
    for (String name : names) {
      schema = schema.add(name, DataTypes.StringType, true);
    }
    return schema;
  }

  private FileSystem fileSystem(String output) {
    try {
      return new Path(output).getFileSystem(spark.sparkContext().hadoopConfiguration());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open " + output, e);
    }
  }

  private static void prepareOutput(FileSystem fs, Path output, boolean overwrite) {
    try {
      if (fs.exists(output) && fs.listStatus(output).length > 0) {
        if (!overwrite) {
          throw JobErrors.conflict(
              "output "
                  + output
                  + " already holds files; pass --overwrite to replace them or choose another --output");
        }
        if (!fs.exists(new Path(output, GeneratedFiles.MANIFEST))
            && !fs.exists(new Path(output, GeneratedFiles.EVENTS))) {
          throw JobErrors.conflict(
              "output "
                  + output
                  + " holds files that generate did not write; refusing to delete them. "
                  + "Choose an empty --output");
        }
        fs.delete(output, true);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare " + output, e);
    }
  }

  /**
   * Gives Spark's part files the names an upstream writer would (part-00003.jsonl) and a fixed
   * modification time, and removes Spark's _SUCCESS and checksum files.
   */
  private static void tidy(FileSystem fs, Path directory, String extension, long modifiedMillis) {
    try {
      FileSystem raw = fs instanceof LocalFileSystem local ? local.getRawFileSystem() : fs;
      List<Path> paths = new ArrayList<>();
      RemoteIterator<LocatedFileStatus> files = raw.listFiles(directory, true);
      while (files.hasNext()) {
        paths.add(files.next().getPath());
      }
      for (Path path : paths) {
        String name = path.getName();
        if (name.startsWith(".") || name.startsWith("_")) {
          raw.delete(path, false);
          continue;
        }
        Matcher matcher = SPARK_PART.matcher(name);
        if (matcher.matches()) {
          String suffix = matcher.group(2).equals("000") ? "" : "-" + matcher.group(2);
          Path renamed =
              new Path(path.getParent(), "part-" + matcher.group(1) + suffix + extension);
          raw.rename(path, renamed);
          // the same settings give the same files, modification time included, so that ingest
          // recognizes regenerated files as the ones it has already read
          raw.setTimes(renamed, modifiedMillis, -1);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot tidy " + directory, e);
    }
  }

  private static void writeManifest(
      FileSystem fs, Path path, GenerateSettings settings, GenerateSummary summary) {
    Map<String, Object> manifest = new LinkedHashMap<>();
    manifest.put("settings", settings);
    manifest.put("summary", summary);
    try (OutputStream out = fs.create(path, true)) {
      out.write(mapper().writeValueAsString(manifest).getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + path, e);
    }
  }
}
