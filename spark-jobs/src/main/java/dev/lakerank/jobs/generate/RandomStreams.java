package dev.lakerank.jobs.generate;

import java.util.SplittableRandom;

/**
 * Independent, reproducible random streams keyed by what they are for: the same seed, purpose and
 * id always give the same numbers, on any executor, in any order. Mixing is SplitMix64's finalizer
 * (Steele, Lea and Flood, "Fast splittable pseudorandom number generators", OOPSLA 2014).
 */
final class RandomStreams {
  static final long USER_FACTORS = 1;
  static final long ITEM_FACTORS = 2;
  static final long CATEGORY_CENTROIDS = 3;
  static final long ITEM_ATTRIBUTES = 4;
  static final long USER_ATTRIBUTES = 5;
  static final long IMPRESSION = 6;
  static final long PERMUTATION = 7;

  private RandomStreams() {}

  /** A generator for {@code purpose} and {@code id} under {@code seed}. */
  static SplittableRandom of(long seed, long purpose, long id) {
    return new SplittableRandom(mix(mix(seed ^ mix(purpose)) + id));
  }

  static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }

  /** A standard normal draw (Box-Muller; one of the pair is discarded for simplicity). */
  static double gaussian(SplittableRandom random) {
    double u1 = 1.0 - random.nextDouble();
    double u2 = random.nextDouble();
    return Math.sqrt(-2.0 * Math.log(u1)) * Math.cos(2.0 * Math.PI * u2);
  }
}
