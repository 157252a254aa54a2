package dev.lakerank.jobs.transform;

import dev.lakerank.jobs.tables.BronzeTable;
import java.util.Map;

/**
 * How every bronze row a transform run read was accounted for: {@code bronzeRows = inserted +
 * updated + quarantined + duplicates}.
 *
 * @param fromVersion the bronze version the run started after (-1: from the start)
 * @param toVersion the last bronze version read
 * @param inserted rows new to silver
 * @param updated silver rows replaced by a newer record (users and items)
 * @param quarantined rows that broke a rule
 * @param duplicates valid rows not written because their key was already in silver or came earlier
 *     in the same run
 * @param derived users or items added to silver because events named them and the data set has no
 *     users or items source; not bronze rows of this table
 * @param ruleCounts how many rows each rule rejected first
 */
public record Reconciliation(
    BronzeTable table,
    long fromVersion,
    long toVersion,
    long bronzeRows,
    long inserted,
    long updated,
    long quarantined,
    long duplicates,
    long derived,
    Map<String, Long> ruleCounts) {
  public Reconciliation {
    ruleCounts = Map.copyOf(ruleCounts);
  }

  /** Whether every bronze row is accounted for exactly once. */
  public boolean balances() {
    return bronzeRows == inserted + updated + quarantined + duplicates;
  }
}
