package dev.lakerank.jobs.validate;

import static java.util.Objects.requireNonNull;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.lit;

import org.apache.spark.sql.Column;

/**
 * A rule a row must satisfy.
 *
 * @param rule the rule's name, kind and field, for example {@code required:user_id}; stored in the
 *     quarantine table and counted in reports
 * @param broken true for a row that breaks the rule; a null result counts as not broken, so a rule
 *     about a value only judges rows that have one
 * @param reason the readable reason for a broken row, with the offending value
 */
public record Expectation(String rule, Column broken, Column reason) {
  public Expectation {
    requireNonNull(rule, "rule");
    requireNonNull(broken, "broken");
    requireNonNull(reason, "reason");
  }

  /** This rule, applied only to rows where {@code condition} holds (a rating's value, say). */
  public Expectation onlyWhen(Column condition) {
    return new Expectation(rule, coalesce(condition, lit(false)).and(broken), reason);
  }
}
