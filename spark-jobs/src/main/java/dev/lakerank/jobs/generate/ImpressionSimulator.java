package dev.lakerank.jobs.generate;

import java.io.Serializable;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * Simulates impression {@code n} of a data set, and the click, purchase and rating that may follow
 * it, from {@link SyntheticWorld}'s truth. Impressions are spread over the days in index order, so
 * a Spark partition of consecutive indexes covers a few days.
 */
final class ImpressionSimulator implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final int ITEM_DRAWS = 10;

  private final SyntheticWorld world;
  private final GenerateSettings settings;

  ImpressionSimulator(SyntheticWorld world) {
    this.world = world;
    this.settings = world.settings();
  }

  /** The day (0-based) of impression {@code n}. */
  int day(long n) {
    return (int)
        Math.min(settings.days() - 1, (long) ((double) n / settings.events() * settings.days()));
  }

  Impression simulate(long n) {
    SplittableRandom random = RandomStreams.of(settings.seed(), RandomStreams.IMPRESSION, n);
    int day = day(n);
    int hour = world.hour(random.nextDouble());
    long second = world.startEpochSecond() + day * 86_400L + hour * 3_600L + random.nextInt(3_600);
    long timeMillis = second * 1000 + random.nextInt(1000);

    long userRank =
        SyntheticWorld.zipfRank(random.nextDouble(), settings.users(), settings.userZipf());
    long user = world.userAtRank(userRank);
    long itemRank = 1;
    long item = world.itemAtRank(1);
    for (int draw = 0; draw < ITEM_DRAWS; draw++) {
      long rank =
          SyntheticWorld.zipfRank(random.nextDouble(), settings.items(), settings.itemZipf());
      long candidate = world.itemAtRank(rank);
      if (world.existsAt(candidate, second)) {
        itemRank = rank;
        item = candidate;
        break;
      }
    }
    int device = world.device(user, random);
    boolean drifted = settings.hasDrift() && day >= settings.driftDay();
    double affinity =
        SyntheticWorld.affinity(world.userFactors(user), world.itemFactors(item), drifted);
    double probability = world.clickProbability(affinity, itemRank, device, hour, drifted);
    String sessionId =
        "s-"
            + Long.toHexString(
                RandomStreams.mix(settings.seed() ^ (user * 1_000_003L + day * 8L + hour / 3)));

    boolean clicked = random.nextDouble() < probability;
    long clickMillis = 0;
    long dwellMs = 0;
    boolean purchased = false;
    long purchaseMillis = 0;
    double pricePaid = 0;
    boolean rated = false;
    long ratingMillis = 0;
    int rating = 0;
    if (clicked) {
      clickMillis = timeMillis + 1_000 + random.nextInt(29_000);
      dwellMs = Math.round(Math.exp(9.2 + 0.4 * affinity + 0.7 * RandomStreams.gaussian(random)));
      double relativePrice = world.price(item) / world.categoryMedianPrice(item);
      double buyLogit = -2.2 + 0.9 * affinity - 0.5 * Math.log(relativePrice);
      purchased = random.nextDouble() < 1.0 / (1.0 + Math.exp(-buyLogit));
      if (purchased) {
        purchaseMillis = clickMillis + dwellMs + 5_000 + random.nextInt(600_000);
        pricePaid = world.price(item);
      }
      rated = world.isRater(user) && random.nextDouble() < 0.5;
      if (rated) {
        ratingMillis = clickMillis + 3_600_000L + (long) (random.nextDouble() * 47 * 3_600_000L);
        double noisy = 3.0 + affinity + 0.6 * RandomStreams.gaussian(random);
        rating = (int) Math.max(1, Math.min(5, Math.round(noisy)));
      }
    }
    return new Impression(
        n,
        eventId(n, 0),
        user,
        item,
        itemRank,
        timeMillis,
        hour,
        device,
        sessionId,
        affinity,
        probability,
        drifted,
        clicked,
        clicked ? eventId(n, 1) : null,
        clickMillis,
        dwellMs,
        purchased,
        purchased ? eventId(n, 2) : null,
        purchaseMillis,
        pricePaid,
        rated,
        rated ? eventId(n, 3) : null,
        ratingMillis,
        rating);
  }

  /** A UUID-formatted event id, unique per impression and event kind, stable for a seed. */
  private String eventId(long n, int kind) {
    long high = RandomStreams.mix(settings.seed() ^ RandomStreams.mix(n * 4 + kind));
    long low = RandomStreams.mix(high ^ 0x9e3779b97f4a7c15L);
    // version 4 and IETF variant bits, so the ids parse as ordinary UUIDs
    high = (high & ~0xF000L) | 0x4000L;
    low = (low & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
    return new UUID(high, low).toString();
  }
}
