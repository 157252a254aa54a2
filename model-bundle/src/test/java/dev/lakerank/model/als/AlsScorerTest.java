package dev.lakerank.model.als;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lakerank.model.bundle.BundleException;
import dev.lakerank.model.bundle.BundleWriter;
import dev.lakerank.model.bundle.Manifest;
import dev.lakerank.model.bundle.ModelBundle;
import dev.lakerank.model.bundle.ModelKind;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.LongPredicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AlsScorerTest {
  private static final LongPredicate NONE = id -> false;
  private static final Popularity POPULARITY =
      new Popularity(List.of(30L, 10L, 20L, 40L), List.of(0.4, 0.3, 0.2, 0.1));

  /** Spark's ALSModel.transform: a float accumulated in index order. */
  private static float referenceScore(float[] user, float[] item) {
    float sum = 0f;
    for (int d = 0; d < user.length; d++) {
      sum += user[d] * item[d];
    }
    return sum;
  }

  private static FactorMatrix random(Random random, int rank, long[] ids) {
    float[] values = new float[ids.length * rank];
    for (int i = 0; i < values.length; i++) {
      values[i] = (float) (random.nextGaussian() * 0.7);
    }
    return new FactorMatrix(rank, ids, values);
  }

  /** Distinct ids in shuffled order, so row order and id order differ. */
  private static long[] shuffledIds(Random random, int count) {
    List<Long> ids = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      ids.add(1_000L + 7L * i);
    }
    java.util.Collections.shuffle(ids, random);
    return ids.stream().mapToLong(Long::longValue).toArray();
  }

  private static List<Recommendation> bruteForce(
      FactorMatrix users, FactorMatrix items, long user, int k, LongPredicate excluded) {
    float[] u = users.factors(users.row(user));
    List<Recommendation> all = new ArrayList<>();
    for (int row = 0; row < items.size(); row++) {
      if (!excluded.test(items.id(row))) {
        all.add(new Recommendation(items.id(row), referenceScore(u, items.factors(row))));
      }
    }
    all.sort(
        Comparator.comparingDouble(Recommendation::score)
            .reversed()
            .thenComparingLong(Recommendation::itemId));
    return all.subList(0, Math.min(k, all.size()));
  }

  @Test
  void scoreEqualsTheFloatLoopExactly() {
    Random random = new Random(1);
    int rank = 13;
    FactorMatrix users = random(random, rank, new long[] {1, 2, 3});
    FactorMatrix items = random(random, rank, shuffledIds(random, 50));
    AlsScorer scorer = new AlsScorer(users, items, POPULARITY);
    int differsFromDouble = 0;
    for (int u = 0; u < users.size(); u++) {
      long[] ids = new long[items.size()];
      for (int i = 0; i < items.size(); i++) {
        ids[i] = items.id(i);
        float expected = referenceScore(users.factors(u), items.factors(i));
        assertThat(Float.floatToIntBits(scorer.score(users.id(u), items.id(i))))
            .isEqualTo(Float.floatToIntBits(expected));
        double inDouble = 0.0;
        for (int d = 0; d < rank; d++) {
          inDouble += (double) users.factors(u)[d] * items.factors(i)[d];
        }
        if ((float) inDouble != expected) {
          differsFromDouble++;
        }
      }
      float[] batch = scorer.scores(users.id(u), ids);
      for (int i = 0; i < ids.length; i++) {
        assertThat(batch[i]).isEqualTo(scorer.score(users.id(u), ids[i]));
      }
    }
    // the reference is sensitive to accumulation precision, so the equality above means something
    assertThat(differsFromDouble).isPositive();
  }

  @Test
  void unknownUserOrItemScoresNaN() {
    FactorMatrix users = new FactorMatrix(2, new long[] {1}, new float[] {1, 2});
    FactorMatrix items = new FactorMatrix(2, new long[] {10}, new float[] {3, 4});
    AlsScorer scorer = new AlsScorer(users, items, POPULARITY);

    assertThat(scorer.score(1, 10)).isEqualTo(11f);
    assertThat(scorer.score(9, 10)).isNaN();
    assertThat(scorer.score(1, 99)).isNaN();
    assertThat(scorer.scores(9, new long[] {10})[0]).isNaN();
    assertThat(scorer.scores(1, new long[] {99, 10}))
        .satisfies(
            s -> {
              assertThat(s[0]).isNaN();
              assertThat(s[1]).isEqualTo(11f);
            });
    assertThat(scorer.knowsUser(1)).isTrue();
    assertThat(scorer.knowsUser(9)).isFalse();
    assertThat(scorer.knowsItem(10)).isTrue();
    assertThat(scorer.knowsItem(99)).isFalse();
  }

  @Test
  void recommendEqualsBruteForceForRandomFactors() {
    Random random = new Random(42);
    for (int itemCount : new int[] {1, 2, 3, 4, 5, 7, 8, 9, 11, 33, 101}) {
      for (int rank : new int[] {1, 3, 8}) {
        FactorMatrix users = random(random, rank, new long[] {5, 6, 7});
        FactorMatrix items = random(random, rank, shuffledIds(random, itemCount));
        AlsScorer scorer = new AlsScorer(users, items, POPULARITY);
        for (int k : new int[] {1, 2, 3, 5, itemCount - 1, itemCount, itemCount + 4, 1_000}) {
          if (k <= 0) {
            continue;
          }
          for (long user : new long[] {5, 6, 7}) {
            Recommendations got = scorer.recommend(user, k, NONE);
            assertThat(got.fallback()).isFalse();
            assertThat(got.items())
                .as("items=%d rank=%d k=%d user=%d", itemCount, rank, k, user)
                .containsExactlyElementsOf(bruteForce(users, items, user, k, NONE));
          }
        }
      }
    }
  }

  @Test
  void tiesAreBrokenBySmallerItemIdWhateverTheRowOrder() {
    // six items share one factor vector; rows are in decreasing id order
    long[] ids = {90, 70, 50, 40, 30, 20, 10};
    float[] values = new float[ids.length * 2];
    for (int i = 0; i < ids.length; i++) {
      values[2 * i] = i == 6 ? 0.5f : 1f;
      values[2 * i + 1] = i == 6 ? 0.5f : 2f;
    }
    FactorMatrix items = new FactorMatrix(2, ids, values);
    FactorMatrix users = new FactorMatrix(2, new long[] {1}, new float[] {1f, 1f});
    AlsScorer scorer = new AlsScorer(users, items, POPULARITY);

    assertThat(scorer.recommend(1, 3, NONE).items())
        .containsExactly(
            new Recommendation(20, 3f), new Recommendation(30, 3f), new Recommendation(40, 3f));
    assertThat(scorer.recommend(1, 7, NONE).items())
        .extracting(Recommendation::itemId)
        .containsExactly(20L, 30L, 40L, 50L, 70L, 90L, 10L);
    assertThat(scorer.recommend(1, 7, NONE).items())
        .containsExactlyElementsOf(bruteForce(users, items, 1, 7, NONE));
  }

  @Test
  void manyTiesWithRandomOrderMatchBruteForce() {
    Random random = new Random(3);
    int count = 203;
    long[] ids = shuffledIds(random, count);
    float[] values = new float[count * 3];
    for (int i = 0; i < count; i++) {
      // only four distinct vectors: every score is shared by about 50 items
      int group = random.nextInt(4);
      values[3 * i] = group;
      values[3 * i + 1] = group * 0.5f;
      values[3 * i + 2] = -1f;
    }
    FactorMatrix items = new FactorMatrix(3, ids, values);
    FactorMatrix users = new FactorMatrix(3, new long[] {1}, new float[] {0.25f, 1f, 2f});
    AlsScorer scorer = new AlsScorer(users, items, POPULARITY);
    for (int k : new int[] {1, 17, 60, 150, 203, 300}) {
      assertThat(scorer.recommend(1, k, NONE).items())
          .as("k=%d", k)
          .containsExactlyElementsOf(bruteForce(users, items, 1, k, NONE));
    }
  }

  @Test
  void exclusionsAreHonoured() {
    Random random = new Random(11);
    FactorMatrix users = random(random, 4, new long[] {1});
    FactorMatrix items = random(random, 4, shuffledIds(random, 37));
    AlsScorer scorer = new AlsScorer(users, items, POPULARITY);
    List<Recommendation> unfiltered = scorer.recommend(1, 37, NONE).items();
    // exclude the best five and every third remaining item
    Set<Long> excludedIds = new java.util.HashSet<>();
    for (int i = 0; i < unfiltered.size(); i++) {
      if (i < 5 || i % 3 == 0) {
        excludedIds.add(unfiltered.get(i).itemId());
      }
    }
    LongPredicate excluded = excludedIds::contains;

    for (int k : new int[] {1, 4, 10, 37}) {
      List<Recommendation> got = scorer.recommend(1, k, excluded).items();
      assertThat(got).extracting(Recommendation::itemId).doesNotContainAnyElementsOf(excludedIds);
      assertThat(got).containsExactlyElementsOf(bruteForce(users, items, 1, k, excluded));
    }
    assertThat(scorer.recommend(1, 37, id -> true).items()).isEmpty();
  }

  @Test
  void nonPositiveKIsRefused() {
    FactorMatrix users = new FactorMatrix(1, new long[] {1}, new float[] {1});
    AlsScorer scorer = new AlsScorer(users, users, POPULARITY);
    assertThatThrownBy(() -> scorer.recommend(1, 0, NONE))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("got 0");
    assertThatThrownBy(() -> scorer.recommend(1, -3, NONE))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("got -3");
    assertThatThrownBy(() -> scorer.recommend(99, 0, NONE))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void hugeKReturnsEveryItemWithoutAllocatingK() {
    FactorMatrix users = new FactorMatrix(1, new long[] {1}, new float[] {1});
    FactorMatrix items = new FactorMatrix(1, new long[] {10, 20, 30}, new float[] {3, 1, 2});
    AlsScorer scorer = new AlsScorer(users, items, POPULARITY);

    assertThat(scorer.recommend(1, Integer.MAX_VALUE, NONE).items())
        .extracting(Recommendation::itemId)
        .containsExactly(10L, 30L, 20L);
    assertThat(scorer.recommend(2, Integer.MAX_VALUE, NONE).items())
        .extracting(Recommendation::itemId)
        .containsExactly(30L, 10L, 20L, 40L);
  }

  @Test
  void unknownUserGetsPopularItemsNotExcludedFlaggedAsFallback() {
    Random random = new Random(5);
    AlsScorer scorer =
        new AlsScorer(
            random(random, 2, new long[] {1}),
            random(random, 2, new long[] {10, 20, 30, 40}),
            POPULARITY);

    Recommendations got = scorer.recommend(777, 2, id -> id == 30L);
    assertThat(got.fallback()).isTrue();
    assertThat(got.items())
        .containsExactly(new Recommendation(10, 0.3), new Recommendation(20, 0.2));

    Recommendations all = scorer.recommend(777, 10, NONE);
    assertThat(all.fallback()).isTrue();
    assertThat(all.items()).extracting(Recommendation::itemId).containsExactly(30L, 10L, 20L, 40L);
    assertThat(scorer.recommend(1, 2, NONE).fallback()).isFalse();
  }

  @Test
  void mismatchedRanksAreRefused() {
    assertThatThrownBy(
            () ->
                new AlsScorer(
                    new FactorMatrix(2, new long[] {1}, new float[2]),
                    new FactorMatrix(3, new long[] {1}, new float[3]),
                    POPULARITY))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("rank 2")
        .hasMessageContaining("3");
  }

  @Test
  void popularityRefusesMismatchedLengths() {
    assertThatThrownBy(() -> new Popularity(List.of(1L, 2L), List.of(0.5)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("2 items and 1 scores");
  }

  @Test
  void bundleRoundTripScoresTheSame(@TempDir Path dir) {
    Random random = new Random(9);
    FactorMatrix users = random(random, 6, new long[] {1, 2});
    FactorMatrix items = random(random, 6, shuffledIds(random, 23));
    BundleWriter writer = new BundleWriter(dir);
    AlsScorer.write(writer, users, items, POPULARITY);
    ModelBundle bundle =
        writer.finish(
            new Manifest(
                Manifest.FORMAT_VERSION,
                "recs",
                0,
                ModelKind.ALS,
                "2024-01-01T00:00:00Z",
                null,
                null,
                null,
                null,
                null,
                null,
                null));

    assertThat(bundle.manifest().files())
        .containsOnlyKeys(AlsScorer.USER_FACTORS, AlsScorer.ITEM_FACTORS, AlsScorer.POPULARITY);
    AlsScorer loaded = AlsScorer.load(ModelBundle.open(dir));
    AlsScorer direct = new AlsScorer(users, items, POPULARITY);
    assertThat(loaded.rank()).isEqualTo(6);
    assertThat(loaded.recommend(2, 10, NONE)).isEqualTo(direct.recommend(2, 10, NONE));
    assertThat(loaded.recommend(3, 2, NONE)).isEqualTo(direct.recommend(3, 2, NONE));
  }

  @Test
  void loadRefusesARankerBundle(@TempDir Path dir) {
    BundleWriter writer = new BundleWriter(dir);
    writer.writeJson("ranker/pipeline.json", Map.of());
    ModelBundle bundle =
        writer.finish(
            new Manifest(
                Manifest.FORMAT_VERSION,
                "ranker",
                0,
                ModelKind.GBT,
                "2024-01-01T00:00:00Z",
                null,
                null,
                null,
                null,
                null,
                null,
                null));
    assertThatThrownBy(() -> AlsScorer.load(bundle))
        .isInstanceOf(BundleException.class)
        .hasMessageContaining("gbt");
  }
}
