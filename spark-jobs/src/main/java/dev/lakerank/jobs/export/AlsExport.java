package dev.lakerank.jobs.export;

import dev.lakerank.model.als.AlsScorer;
import dev.lakerank.model.als.FactorMatrix;
import dev.lakerank.model.als.Popularity;
import dev.lakerank.model.als.SeenItems;
import dev.lakerank.model.bundle.BundleWriter;
import java.util.List;
import org.apache.spark.ml.recommendation.ALSModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** Writes an ALS model's factors (collected to the driver, sorted by id) into a bundle. */
public final class AlsExport {
  private AlsExport() {}

  public static void write(BundleWriter writer, ALSModel model, Popularity popularity) {
    AlsScorer.write(
        writer,
        factors(model.userFactors(), model.rank()),
        factors(model.itemFactors(), model.rank()),
        popularity);
  }

  /** The factors as a matrix, rows sorted by id. */
  public static FactorMatrix factors(Dataset<Row> factors, int rank) {
    List<Row> rows = factors.orderBy("id").collectAsList();
    long[] ids = new long[rows.size()];
    float[] values = new float[rows.size() * rank];
    for (int r = 0; r < rows.size(); r++) {
      Row row = rows.get(r);
      ids[r] = ((Number) row.get(0)).longValue();
      List<Object> features = row.getList(1);
      for (int d = 0; d < rank; d++) {
        values[r * rank + d] = ((Number) features.get(d)).floatValue();
      }
    }
    return new FactorMatrix(rank, ids, values);
  }

  /**
   * The (user, item) pairs of {@code pairs} (first column the user, second the item), collected to
   * the driver.
   */
  public static SeenItems seen(Dataset<Row> pairs) {
    List<Row> rows = pairs.collectAsList();
    long[] users = new long[rows.size()];
    long[] items = new long[rows.size()];
    for (int i = 0; i < users.length; i++) {
      users[i] = ((Number) rows.get(i).get(0)).longValue();
      items[i] = ((Number) rows.get(i).get(1)).longValue();
    }
    return SeenItems.of(users, items);
  }

  /** A scorer over the model's factors, for evaluating on the driver without writing a bundle. */
  public static AlsScorer scorer(ALSModel model, Popularity popularity) {
    return new AlsScorer(
        factors(model.userFactors(), model.rank()),
        factors(model.itemFactors(), model.rank()),
        popularity);
  }
}
