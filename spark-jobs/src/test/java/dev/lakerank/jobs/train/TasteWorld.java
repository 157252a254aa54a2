package dev.lakerank.jobs.train;

import dev.lakerank.jobs.catalog.Lakehouse;
import dev.lakerank.jobs.tables.EventType;
import dev.lakerank.jobs.tables.RankerTrainingSet;
import dev.lakerank.jobs.tables.SilverInteractions;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * A small world whose structure is known, so training tests can expect something: 80 users and 60
 * items, each with a hidden 3-dimensional factor near one of three axes (its taste group), and 20
 * days of events drawn from them. Users click items of their own group far more often than others,
 * and item popularity is about the same in every group, so personal taste beats popularity.
 */
final class TasteWorld {
  static final int USERS = 80;
  static final int ITEMS = 60;
  static final int DAYS = 20;
  static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
  static final Instant END = START.plus(Duration.ofDays(DAYS));

  /**
   * A user whose only events are on the last day: in a time split, they exist only in the test
   * part.
   */
  static final long NEWCOMER = 500;

  static final List<String> CATEGORIES = List.of("books", "toys", "garden");
  static final List<String> DEVICES = List.of("mobile", "desktop", "tablet");
  static final String CTR = "user_activity__ctr_7d";
  static final String CATEGORY = "item_profile__category";
  static final StructType TRAINING_SET_SCHEMA =
      RankerTrainingSet.FIXED_SCHEMA
          .add(CTR, DataTypes.DoubleType, true)
          .add(CATEGORY, DataTypes.StringType, true);
  static final StructType TRUTH_SCHEMA =
      new StructType()
          .add("impression_id", DataTypes.StringType, false)
          .add("p_click", DataTypes.DoubleType, false);

  private final double[][] userFactors = new double[USERS + 1][];
  private final double[][] itemFactors = new double[ITEMS + 1][];
  private final long seed;

  TasteWorld(long seed) {
    this.seed = seed;
    SplittableRandom random = new SplittableRandom(seed);
    for (int u = 1; u <= USERS; u++) {
      userFactors[u] = factor(group(u), random);
    }
    for (int i = 1; i <= ITEMS; i++) {
      itemFactors[i] = factor(group(i), random);
    }
  }

  static int group(long id) {
    return (int) (id % 3);
  }

  private static double[] factor(int group, SplittableRandom random) {
    double[] f = new double[3];
    for (int d = 0; d < 3; d++) {
      f[d] = (d == group ? 1.0 : 0.0) + 0.3 * random.nextGaussian();
    }
    return f;
  }

  double affinity(long user, long item) {
    double[] u = userFactors[(int) user];
    double[] v = itemFactors[(int) item];
    return u[0] * v[0] + u[1] * v[1] + u[2] * v[2];
  }

  /**
   * Clicks (and a purchase after a quarter of them) at uniform times over the 20 days: a user
   * interacts with about half the items of their group and 3% of the others. The newcomer clicks
   * five items of group 0 on the last day.
   */
  List<Row> clicks() {
    SplittableRandom random = new SplittableRandom(seed + 1);
    List<Row> rows = new ArrayList<>();
    for (long u = 1; u <= USERS; u++) {
      for (long i = 1; i <= ITEMS; i++) {
        double p = affinity(u, i) > 0.5 ? 0.5 : 0.03;
        if (random.nextDouble() < p) {
          Instant at =
              START.plusSeconds(random.nextLong(Duration.ofDays(DAYS).toSeconds() - 7_200));
          rows.add(event("c-" + u + "-" + i, u, i, EventType.CLICK, at, null));
          if (random.nextDouble() < 0.25) {
            rows.add(
                event("p-" + u + "-" + i, u, i, EventType.PURCHASE, at.plusSeconds(3_600), null));
          }
        }
      }
    }
    for (long i = 3; i <= 15; i += 3) {
      rows.add(
          event(
              "c-new-" + i,
              NEWCOMER,
              i,
              EventType.CLICK,
              END.minus(Duration.ofHours(12)).plusSeconds(60 * i),
              null));
    }
    return rows;
  }

  /**
   * A rating for 40% of the pairs: {@code 1.5 + 3 * affinity + N(0, 0.25)}, clipped to [0.5, 5].
   */
  List<Row> ratings() {
    SplittableRandom random = new SplittableRandom(seed + 2);
    List<Row> rows = new ArrayList<>();
    for (long u = 1; u <= USERS; u++) {
      for (long i = 1; i <= ITEMS; i++) {
        if (random.nextDouble() < 0.4) {
          double rating =
              Math.max(0.5, Math.min(5.0, 1.5 + 3 * affinity(u, i) + 0.25 * random.nextGaussian()));
          Instant at = START.plusSeconds(random.nextLong(Duration.ofDays(DAYS).toSeconds()));
          rows.add(event("r-" + u + "-" + i, u, i, EventType.RATING, at, rating));
        }
      }
    }
    return rows;
  }

  /**
   * Impressions at distinct times over the 20 days, with a click probability of {@code sigmoid(-2.5
   * + 4 * ctr_7d + 1.0 [same taste group])}; ctr_7d is missing for 5%.
   */
  List<Impression> impressions(int count) {
    SplittableRandom random = new SplittableRandom(seed + 3);
    long step = Duration.ofDays(DAYS).toSeconds() / count;
    List<Impression> out = new ArrayList<>(count);
    for (int n = 0; n < count; n++) {
      long user = 1 + random.nextInt(USERS);
      long item = 1 + random.nextInt(ITEMS);
      double ctr = random.nextDouble();
      double logit = -2.5 + 4 * ctr + (group(user) == group(item) ? 1.0 : 0.0);
      double p = 1 / (1 + Math.exp(-logit));
      boolean click = random.nextDouble() < p;
      boolean purchase = click && random.nextDouble() < 0.2;
      Instant at = START.plusSeconds(n * step + random.nextLong(step / 2));
      out.add(
          new Impression(
              "imp-" + n,
              user,
              item,
              at,
              DEVICES.get(random.nextInt(DEVICES.size())),
              random.nextInt(20) == 0 ? null : ctr,
              CATEGORIES.get(group(item)),
              p,
              click,
              purchase));
    }
    return out;
  }

  record Impression(
      String id,
      long user,
      long item,
      Instant at,
      String device,
      Double ctr,
      String category,
      double pClick,
      boolean click,
      boolean purchase) {
    Row trainingRow() {
      ZonedDateTime utc = at.atZone(ZoneOffset.UTC);
      return RowFactory.create(
          id,
          user,
          item,
          Timestamp.from(at),
          device,
          utc.getHour(),
          utc.getDayOfWeek().getValue(),
          click ? 1 : 0,
          purchase ? 1 : 0,
          ctr,
          category);
    }

    Row truthRow() {
      return RowFactory.create(id, pClick);
    }
  }

  static Row event(String id, long user, long item, EventType type, Instant at, Double rating) {
    return RowFactory.create(
        id,
        null,
        user,
        item,
        type.value(),
        Timestamp.from(at),
        Date.valueOf(at.atZone(ZoneOffset.UTC).toLocalDate()),
        "mobile",
        "s-" + user,
        null,
        null,
        rating,
        "batch-1",
        Timestamp.from(END));
  }

  static void writeInteractions(Lakehouse lakehouse, List<Row> rows) {
    SparkSession spark = lakehouse.spark();
    lakehouse.createIfNotExists(SilverInteractions.DEFINITION);
    spark
        .createDataFrame(rows, SilverInteractions.SCHEMA)
        .write()
        .format("delta")
        .mode("append")
        .save(lakehouse.location(SilverInteractions.NAME));
  }

  static void writeTrainingSet(Lakehouse lakehouse, List<Impression> impressions) {
    SparkSession spark = lakehouse.spark();
    lakehouse.createIfNotExists(RankerTrainingSet.definition(TRAINING_SET_SCHEMA));
    List<Row> rows = impressions.stream().map(Impression::trainingRow).toList();
    spark
        .createDataFrame(rows, TRAINING_SET_SCHEMA)
        .write()
        .format("delta")
        .mode("append")
        .save(lakehouse.location(RankerTrainingSet.NAME));
  }
}
