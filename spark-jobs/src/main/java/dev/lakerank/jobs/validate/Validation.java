package dev.lakerank.jobs.validate;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.filter;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.try_element_at;
import static org.apache.spark.sql.functions.when;

import dev.lakerank.jobs.tables.QuarantineTable;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;

/**
 * Evaluates expectations on rows. {@link #check} adds the column {@value #FIRST_RULE}: the first
 * rule the row broke, or null for a valid row, by one chain of conditions that stops at the first
 * broken rule. Only rejected rows, usually few, then get every violation and its reason ({@link
 * #rejected}); building those for every row costs several times more.
 */
public final class Validation {
  /** The first rule a row broke; null when it broke none. */
  public static final String FIRST_RULE = "_first_rule";

  private Validation() {}

  /** {@code rows} with the first rule each broke. */
  public static Dataset<Row> check(Dataset<Row> rows, List<Expectation> expectations) {
    return rows.withColumn(FIRST_RULE, firstRule(expectations));
  }

  /** Rows that broke no rule, without the validation column. */
  public static Dataset<Row> valid(Dataset<Row> checked) {
    return checked.where(col(FIRST_RULE).isNull()).drop(FIRST_RULE);
  }

  /**
   * Rows that broke a rule, with the first rule and its reason in their own columns and every
   * violation, in the order of {@code expectations}, in {@value QuarantineTable#VIOLATIONS}.
   */
  public static Dataset<Row> rejected(Dataset<Row> checked, List<Expectation> expectations) {
    Column[] each =
        expectations.stream()
            .map(
                e ->
                    when(
                        e.broken(),
                        struct(
                            lit(e.rule()).alias(QuarantineTable.RULE),
                            e.reason().alias(QuarantineTable.REASON))))
            .toArray(Column[]::new);
    Column first = try_element_at(col(QuarantineTable.VIOLATIONS), lit(1));
    return checked
        .where(col(FIRST_RULE).isNotNull())
        .withColumn(QuarantineTable.VIOLATIONS, filter(array(each), Column::isNotNull))
        .withColumn(QuarantineTable.RULE, first.getField(QuarantineTable.RULE))
        .withColumn(QuarantineTable.REASON, first.getField(QuarantineTable.REASON))
        .drop(FIRST_RULE);
  }

  private static Column firstRule(List<Expectation> expectations) {
    Column chain = null;
    for (Expectation expectation : expectations) {
      Column broken = coalesce(expectation.broken(), lit(false));
      chain =
          chain == null
              ? when(broken, lit(expectation.rule()))
              : chain.when(broken, lit(expectation.rule()));
    }
    return chain == null ? lit(null).cast(DataTypes.StringType) : chain;
  }
}
