package dev.lakerank.jobs.generate;

import java.io.Serializable;
import java.time.ZoneOffset;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The hidden truth of a synthetic data set: user and item factors, categories, prices, popularity
 * and the click probability of every impression. Everything is a pure function of the settings and
 * an id, so executors compute what they need without the driver holding any data.
 *
 * <p>The click model (logistic):
 *
 * <pre>
 * logit = -3.2 + 1.1 * affinity(u, i) + 1.2 * (popularity(i) - 0.5) + device + 0.3 * sin(2 pi (hour - 15) / 24)
 * </pre>
 *
 * where affinity is the dot product of the factors (standard normal across pairs), popularity is
 * {@code 1 - ln(rank) / ln(items + 1)} in (0, 1], and device is +0.15 desktop, 0 mobile, -0.10
 * tablet, -0.25 tv. From the drift day on, tastes move (the item factors are read rotated by one
 * dimension) and popularity counts half as much.
 */
public final class SyntheticWorld implements Serializable {
  private static final long serialVersionUID = 1L;

  static final List<String> DEVICES = List.of("mobile", "desktop", "tablet", "tv");
  private static final double[] DEVICE_EFFECT = {0.0, 0.15, -0.10, -0.25};
  private static final double[] DEVICE_CDF = cumulative(new double[] {0.55, 0.30, 0.12, 0.03});
  private static final double[] HOUR_CDF =
      cumulative(
          new double[] {2, 1, 1, 1, 1, 2, 4, 6, 7, 7, 6, 6, 7, 6, 6, 6, 7, 8, 9, 10, 10, 9, 6, 4});
  static final List<String> CATEGORY_NAMES =
      List.of(
          "books",
          "electronics",
          "fashion",
          "home",
          "toys",
          "sports",
          "beauty",
          "grocery",
          "garden",
          "music",
          "movies",
          "games",
          "auto",
          "health",
          "office",
          "pets",
          "baby",
          "jewelry",
          "tools",
          "travel");
  static final List<String> COUNTRIES =
      List.of("US", "GB", "DE", "FR", "IN", "BR", "JP", "CA", "ES", "IT");
  private static final double[] COUNTRY_CDF =
      cumulative(new double[] {0.30, 0.10, 0.09, 0.08, 0.12, 0.09, 0.07, 0.06, 0.05, 0.04});
  static final List<String> AGE_BANDS = List.of("18-24", "25-34", "35-44", "45-54", "55+");
  private static final double NEW_ITEM_SHARE = 0.2;
  private static final int ALWAYS_PRESENT_TOP_ITEMS = 10;

  private final GenerateSettings settings;
  private final long startEpochSecond;
  private final double factorSigma;
  private final double[][] categoryCentroids;
  private final long userMultiplier;
  private final long itemMultiplier;
  private final long itemInverse;

  public SyntheticWorld(GenerateSettings settings) {
    this.settings = settings;
    this.startEpochSecond = settings.startDate().atStartOfDay().toEpochSecond(ZoneOffset.UTC);
    // components N(0, 1/sqrt(k)) make the dot product of two factors have unit variance
    this.factorSigma = Math.sqrt(1.0 / Math.sqrt(settings.latentDim()));
    this.categoryCentroids = new double[settings.categories()][];
    for (int c = 0; c < settings.categories(); c++) {
      categoryCentroids[c] =
          gaussianVector(RandomStreams.of(settings.seed(), RandomStreams.CATEGORY_CENTROIDS, c));
    }
    this.userMultiplier = coprimeMultiplier(settings.users(), 1);
    this.itemMultiplier = coprimeMultiplier(settings.items(), 2);
    this.itemInverse =
        settings.items() == 1
            ? 0
            : java.math.BigInteger.valueOf(itemMultiplier)
                .modInverse(java.math.BigInteger.valueOf(settings.items()))
                .longValueExact();
  }

  public GenerateSettings settings() {
    return settings;
  }

  /** First second of the span, UTC. */
  public long startEpochSecond() {
    return startEpochSecond;
  }

  /** One past the last second of the span. */
  public long endEpochSecond() {
    return startEpochSecond + 86_400L * settings.days();
  }

  /** The user's hidden taste, a vector of {@code latentDim} components. */
  public double[] userFactors(long user) {
    return gaussianVector(RandomStreams.of(settings.seed(), RandomStreams.USER_FACTORS, user));
  }

  /** The item's hidden profile: half its category's centroid, half its own. */
  public double[] itemFactors(long item) {
    double[] own =
        gaussianVector(RandomStreams.of(settings.seed(), RandomStreams.ITEM_FACTORS, item));
    double[] centroid = categoryCentroids[category(item)];
    double half = Math.sqrt(0.5);
    for (int i = 0; i < own.length; i++) {
      own[i] = half * centroid[i] + half * own[i];
    }
    return own;
  }

  /** Category index of the item, in [0, categories). */
  public int category(long item) {
    return (int)
        Math.floorMod(RandomStreams.mix(settings.seed() * 31 + item), (long) settings.categories());
  }

  /** The category's name as the catalogue writes it. */
  public static String categoryName(int category) {
    return category < CATEGORY_NAMES.size()
        ? CATEGORY_NAMES.get(category)
        : "category_" + (category + 1);
  }

  /** The item's list price: log-normal around a per-category median of 5 to 200. */
  public double price(long item) {
    int category = category(item);
    double median = 5.0 * Math.pow(40.0, (category % 7) / 6.0);
    SplittableRandom random =
        RandomStreams.of(settings.seed(), RandomStreams.ITEM_ATTRIBUTES, item);
    double price = median * Math.exp(0.6 * RandomStreams.gaussian(random));
    return Math.round(price * 100.0) / 100.0;
  }

  /** The median price of the item's category (purchases depend on price relative to it). */
  public double categoryMedianPrice(long item) {
    return 5.0 * Math.pow(40.0, (category(item) % 7) / 6.0);
  }

  /**
   * When the item entered the catalogue (epoch seconds): most items before the span, a fifth during
   * it. Impressions of an item never precede it.
   */
  public long itemCreatedEpochSecond(long item) {
    if (itemRank(item) <= ALWAYS_PRESENT_TOP_ITEMS) {
      return startEpochSecond - 86_400L;
    }
    SplittableRandom random =
        RandomStreams.of(settings.seed(), RandomStreams.ITEM_ATTRIBUTES, item + 7_919L);
    double draw = random.nextDouble();
    if (draw < NEW_ITEM_SHARE) {
      return startEpochSecond
          + (long) (random.nextDouble() * (endEpochSecond() - startEpochSecond));
    }
    return startEpochSecond - 86_400L - (long) (random.nextDouble() * 365 * 86_400L);
  }

  /** When the user signed up (epoch seconds), up to two years before the span. */
  public long userSignupEpochSecond(long user) {
    SplittableRandom random =
        RandomStreams.of(settings.seed(), RandomStreams.USER_ATTRIBUTES, user);
    return startEpochSecond - 86_400L - (long) (random.nextDouble() * 730 * 86_400L);
  }

  public String userCountry(long user) {
    SplittableRandom random =
        RandomStreams.of(settings.seed(), RandomStreams.USER_ATTRIBUTES, user + 1_000_003L);
    return COUNTRIES.get(pick(COUNTRY_CDF, random.nextDouble()));
  }

  public String userAgeBand(long user) {
    SplittableRandom random =
        RandomStreams.of(settings.seed(), RandomStreams.USER_ATTRIBUTES, user + 2_000_003L);
    return AGE_BANDS.get(random.nextInt(AGE_BANDS.size()));
  }

  /** The device the user mostly uses (index into the device list). */
  int preferredDevice(long user) {
    SplittableRandom random =
        RandomStreams.of(settings.seed(), RandomStreams.USER_ATTRIBUTES, user + 3_000_003L);
    return pick(DEVICE_CDF, random.nextDouble());
  }

  /** Whether the user gives explicit ratings. */
  public boolean isRater(long user) {
    SplittableRandom random =
        RandomStreams.of(settings.seed(), RandomStreams.USER_ATTRIBUTES, user + 4_000_003L);
    return random.nextDouble() < settings.ratingFraction();
  }

  /** The user at popularity rank {@code rank} (1 = most active): a fixed shuffle of the ids. */
  public long userAtRank(long rank) {
    return permute(rank, settings.users(), userMultiplier);
  }

  /** The item at popularity rank {@code rank} (1 = most shown). */
  public long itemAtRank(long rank) {
    return permute(rank, settings.items(), itemMultiplier);
  }

  /** The popularity rank of {@code item}: the inverse of {@link #itemAtRank}. */
  public long itemRank(long item) {
    long n = settings.items();
    return Math.floorMod(itemInverse * Math.floorMod(item - 1 - n / 3, n), n) + 1;
  }

  /**
   * Whether the item is in the catalogue at {@code epochSecond}. The ten most popular always are.
   */
  boolean existsAt(long item, long epochSecond) {
    return itemCreatedEpochSecond(item) <= epochSecond;
  }

  /**
   * Rank drawn from a Zipf law with exponent {@code s} over {@code n} ranks, by inverting the
   * continuous density x^-s on [1, n + 1).
   */
  static long zipfRank(double uniform, long n, double s) {
    double x;
    if (s == 0) {
      x = 1 + uniform * n;
    } else if (Math.abs(s - 1.0) < 1e-9) {
      x = Math.pow(n + 1.0, uniform);
    } else {
      double oneMinusS = 1.0 - s;
      x = Math.pow(1.0 + uniform * (Math.pow(n + 1.0, oneMinusS) - 1.0), 1.0 / oneMinusS);
    }
    return Math.max(1, Math.min(n, (long) Math.floor(x)));
  }

  /** How popular the item at {@code rank} is, in (0, 1]. */
  double popularity(long rank) {
    return 1.0 - Math.log(rank) / Math.log(settings.items() + 1.0);
  }

  /**
   * The affinity of a user and an item: the dot product of their factors, read rotated after the
   * drift.
   */
  static double affinity(double[] userFactors, double[] itemFactors, boolean drifted) {
    double sum = 0;
    int k = userFactors.length;
    for (int i = 0; i < k; i++) {
      sum += userFactors[i] * itemFactors[drifted ? (i + 1) % k : i];
    }
    return sum;
  }

  /** The true probability that the impression is clicked. */
  double clickProbability(double affinity, long itemRank, int device, int hour, boolean drifted) {
    double popularityWeight = drifted ? 0.6 : 1.2;
    double logit =
        -3.2
            + 1.1 * affinity
            + popularityWeight * (popularity(itemRank) - 0.5)
            + DEVICE_EFFECT[device]
            + 0.3 * Math.sin(2 * Math.PI * (hour - 15) / 24.0);
    return 1.0 / (1.0 + Math.exp(-logit));
  }

  /** The hour of an impression, drawn from the daily traffic curve (peaks in the evening). */
  int hour(double uniform) {
    return pick(HOUR_CDF, uniform);
  }

  /** A device for an impression of {@code user}: the preferred one 70% of the time. */
  int device(long user, SplittableRandom random) {
    if (random.nextDouble() < 0.7) {
      return preferredDevice(user);
    }
    return pick(DEVICE_CDF, random.nextDouble());
  }

  private double[] gaussianVector(SplittableRandom random) {
    double[] vector = new double[settings.latentDim()];
    for (int i = 0; i < vector.length; i++) {
      vector[i] = factorSigma * RandomStreams.gaussian(random);
    }
    return vector;
  }

  private static long permute(long rank, long n, long multiplier) {
    // an affine map with a multiplier coprime to n is a bijection of [0, n); a * r < n^2 <= 1e18
    // fits a long
    long r = rank - 1;
    return Math.floorMod(multiplier * r + n / 3, n) + 1;
  }

  private long coprimeMultiplier(long n, long salt) {
    if (n == 1) {
      return 1;
    }
    long candidate = Math.floorMod(RandomStreams.mix(settings.seed() + salt), n);
    candidate = Math.max(candidate, 1);
    while (gcd(candidate, n) != 1) {
      candidate = candidate % (n - 1) + 1;
    }
    return candidate;
  }

  private static long gcd(long a, long b) {
    while (b != 0) {
      long t = a % b;
      a = b;
      b = t;
    }
    return a;
  }

  private static double[] cumulative(double[] weights) {
    double total = 0;
    for (double w : weights) {
      total += w;
    }
    double[] cdf = new double[weights.length];
    double running = 0;
    for (int i = 0; i < weights.length; i++) {
      running += weights[i] / total;
      cdf[i] = running;
    }
    return cdf;
  }

  private static int pick(double[] cdf, double uniform) {
    for (int i = 0; i < cdf.length; i++) {
      if (uniform < cdf[i]) {
        return i;
      }
    }
    return cdf.length - 1;
  }
}
