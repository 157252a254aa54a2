package dev.lakerank.model.als;

import dev.lakerank.model.bundle.BundleWriter;
import dev.lakerank.model.bundle.ModelBundle;
import dev.lakerank.model.bundle.ModelKind;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongPredicate;

/**
 * Scores user-item pairs from exported ALS factors, without Spark.
 *
 * <p>A pair's score is the dot product of the two factor vectors accumulated in float32 in index
 * order, which is exactly what Spark's {@code ALSModel.transform} computes, so scores agree bit for
 * bit. A pair with an unknown user or item scores NaN, as Spark's does; {@link #recommend} never
 * returns NaN: a user without factors gets the most popular items, flagged as a fallback.
 */
public final class AlsScorer {
  public static final String USER_FACTORS = "als/user_factors.bin";
  public static final String ITEM_FACTORS = "als/item_factors.bin";
  public static final String POPULARITY = "als/popularity.json";

  private final FactorMatrix users;
  private final FactorMatrix items;
  private final long[] popularIds;
  private final double[] popularScores;

  public AlsScorer(FactorMatrix users, FactorMatrix items, Popularity popularity) {
    if (users.rank() != items.rank()) {
      throw new IllegalArgumentException(
          "user factors have rank " + users.rank() + ", item factors " + items.rank());
    }
    this.users = users;
    this.items = items;
    this.popularIds = popularity.itemIds().stream().mapToLong(Long::longValue).toArray();
    this.popularScores = popularity.scores().stream().mapToDouble(Double::doubleValue).toArray();
  }

  /** Loads the scorer from a verified bundle of kind {@code als}. */
  public static AlsScorer load(ModelBundle bundle) {
    bundle.requireKind(ModelKind.ALS);
    return new AlsScorer(
        FactorMatrix.read(bundle.file(USER_FACTORS)),
        FactorMatrix.read(bundle.file(ITEM_FACTORS)),
        bundle.readJson(POPULARITY, Popularity.class));
  }

  /** Writes the payload of an ALS bundle. */
  public static void write(
      BundleWriter writer, FactorMatrix users, FactorMatrix items, Popularity popularity) {
    try {
      users.write(writer.pathOf(USER_FACTORS));
      writer.added(USER_FACTORS);
      items.write(writer.pathOf(ITEM_FACTORS));
      writer.added(ITEM_FACTORS);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write ALS factors into " + writer.directory(), e);
    }
    writer.writeJson(POPULARITY, popularity);
  }

  public int rank() {
    return users.rank();
  }

  public FactorMatrix users() {
    return users;
  }

  public FactorMatrix items() {
    return items;
  }

  public boolean knowsUser(long userId) {
    return users.row(userId) >= 0;
  }

  public boolean knowsItem(long itemId) {
    return items.row(itemId) >= 0;
  }

  /** The pair's score, or NaN when the user or the item has no factors. */
  public float score(long userId, long itemId) {
    int u = users.row(userId);
    int i = items.row(itemId);
    if (u < 0 || i < 0) {
      return Float.NaN;
    }
    return dot(users.values(), u * rank(), items.values(), i * rank(), rank());
  }

  /** Scores of one user against several items (NaN where unknown). */
  public float[] scores(long userId, long[] itemIds) {
    float[] out = new float[itemIds.length];
    int u = users.row(userId);
    for (int n = 0; n < itemIds.length; n++) {
      int i = u < 0 ? -1 : items.row(itemIds[n]);
      out[n] =
          i < 0 ? Float.NaN : dot(users.values(), u * rank(), items.values(), i * rank(), rank());
    }
    return out;
  }

  /**
   * The exact top {@code k} items for a user over every item with factors, best first (ties by
   * smaller item id), skipping items {@code excluded} accepts. A user without factors gets the
   * {@code k} most popular items not excluded, flagged as a fallback.
   */
  public Recommendations recommend(long userId, int k, LongPredicate excluded) {
    if (k <= 0) {
      throw new IllegalArgumentException("k must be at least 1, got " + k);
    }
    int u = users.row(userId);
    if (u < 0) {
      return popular(k, excluded);
    }
    // never more slots than items: k comes from callers and may be huge
    TopK top = new TopK(Math.min(k, items.size()));
    float[] userValues = users.values();
    float[] itemValues = items.values();
    int rank = rank();
    int base = u * rank;
    int count = items.size();
    int row = 0;
    // four items at a time: four independent float chains, each summed in index order (as Spark)
    for (; row + 3 < count; row += 4) {
      int o0 = row * rank;
      int o1 = o0 + rank;
      int o2 = o1 + rank;
      int o3 = o2 + rank;
      float s0 = 0f;
      float s1 = 0f;
      float s2 = 0f;
      float s3 = 0f;
      for (int d = 0; d < rank; d++) {
        float x = userValues[base + d];
        s0 += x * itemValues[o0 + d];
        s1 += x * itemValues[o1 + d];
        s2 += x * itemValues[o2 + d];
        s3 += x * itemValues[o3 + d];
      }
      offer(top, row, s0, excluded);
      offer(top, row + 1, s1, excluded);
      offer(top, row + 2, s2, excluded);
      offer(top, row + 3, s3, excluded);
    }
    for (; row < count; row++) {
      offer(top, row, dot(userValues, base, itemValues, row * rank, rank), excluded);
    }
    return new Recommendations(top.sorted(items), false);
  }

  private void offer(TopK top, int row, float score, LongPredicate excluded) {
    if (top.accepts(score, items.id(row)) && !excluded.test(items.id(row))) {
      top.add(score, row, items.id(row));
    }
  }

  private Recommendations popular(int k, LongPredicate excluded) {
    List<Recommendation> chosen = new ArrayList<>(Math.min(k, popularIds.length));
    for (int n = 0; n < popularIds.length && chosen.size() < k; n++) {
      if (!excluded.test(popularIds[n])) {
        chosen.add(new Recommendation(popularIds[n], popularScores[n]));
      }
    }
    return new Recommendations(chosen, true);
  }

  static float dot(float[] a, int aOffset, float[] b, int bOffset, int rank) {
    float sum = 0f;
    for (int d = 0; d < rank; d++) {
      sum += a[aOffset + d] * b[bOffset + d];
    }
    return sum;
  }

  /** A bounded min-heap of (score, item id): the worst kept entry at the root. */
  private static final class TopK {
    private final int capacity;
    private final float[] scores;
    private final int[] rows;
    private final long[] ids;
    private int size;

    TopK(int capacity) {
      this.capacity = capacity;
      this.scores = new float[capacity];
      this.rows = new int[capacity];
      this.ids = new long[capacity];
    }

    /** Whether an entry would enter (before the exclusion test, which costs more). */
    boolean accepts(float score, long id) {
      return size < capacity || worse(scores[0], ids[0], score, id);
    }

    /** True when (s1, id1) ranks below (s2, id2): lower score, or same score and larger id. */
    private static boolean worse(float s1, long id1, float s2, long id2) {
      int byScore = Float.compare(s1, s2);
      return byScore < 0 || (byScore == 0 && id1 > id2);
    }

    void add(float score, int row, long id) {
      if (size < capacity) {
        int i = size++;
        set(i, score, row, id);
        while (i > 0) {
          int parent = (i - 1) / 2;
          if (!worse(scores[i], ids[i], scores[parent], ids[parent])) {
            break;
          }
          swap(i, parent);
          i = parent;
        }
        return;
      }
      set(0, score, row, id);
      int i = 0;
      while (true) {
        int left = 2 * i + 1;
        int right = left + 1;
        int smallest = i;
        if (left < size && worse(scores[left], ids[left], scores[smallest], ids[smallest])) {
          smallest = left;
        }
        if (right < size && worse(scores[right], ids[right], scores[smallest], ids[smallest])) {
          smallest = right;
        }
        if (smallest == i) {
          return;
        }
        swap(i, smallest);
        i = smallest;
      }
    }

    private void set(int i, float score, int row, long id) {
      scores[i] = score;
      rows[i] = row;
      ids[i] = id;
    }

    private void swap(int a, int b) {
      float s = scores[a];
      int r = rows[a];
      long id = ids[a];
      set(a, scores[b], rows[b], ids[b]);
      set(b, s, r, id);
    }

    List<Recommendation> sorted(FactorMatrix items) {
      Integer[] order = new Integer[size];
      for (int i = 0; i < size; i++) {
        order[i] = i;
      }
      java.util.Arrays.sort(
          order,
          (a, b) ->
              worse(scores[a], ids[a], scores[b], ids[b])
                  ? 1
                  : worse(scores[b], ids[b], scores[a], ids[a]) ? -1 : 0);
      List<Recommendation> out = new ArrayList<>(size);
      for (int i : order) {
        out.add(new Recommendation(items.id(rows[i]), scores[i]));
      }
      return out;
    }
  }
}
