package dev.lakerank.jobs.generate;

/**
 * The layout of a generated data set under its output directory.
 *
 * <pre>
 * events/date=YYYY-MM-DD/part-*.jsonl   interaction events, as an event log would hold them
 * users/part-*.csv                      user records with a header
 * items/part-*.csv                      catalogue records with a header
 * truth/impressions/                    Parquet: every impression's true click probability (evaluation only)
 * truth/user_factors/, truth/item_factors/   Parquet: the hidden factors (evaluation only)
 * _lakerank_generate.json               the settings and counts of the run
 * </pre>
 */
public final class GeneratedFiles {
  private GeneratedFiles() {}

  public static final String EVENTS = "events";
  public static final String USERS = "users";
  public static final String ITEMS = "items";
  public static final String TRUTH_IMPRESSIONS = "truth/impressions";
  public static final String TRUTH_USER_FACTORS = "truth/user_factors";
  public static final String TRUTH_ITEM_FACTORS = "truth/item_factors";
  public static final String MANIFEST = "_lakerank_generate.json";

  /** Columns of {@code truth/impressions}. */
  public static final String IMPRESSION_ID = "impression_id";

  public static final String USER_ID = "user_id";
  public static final String ITEM_ID = "item_id";
  public static final String EVENT_TIME = "event_time";
  public static final String DEVICE = "device";
  public static final String HOUR = "hour";
  public static final String AFFINITY = "affinity";
  public static final String P_CLICK = "p_click";
  public static final String CLICKED = "clicked";
  public static final String PURCHASED = "purchased";
  public static final String DRIFTED = "drifted";

  /** The {@link Corruption} injected into the impression's line, or null. */
  public static final String CORRUPTION = "corruption";

  public static final String FACTORS = "factors";
}
