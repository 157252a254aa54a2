package dev.lakerank.featurestore.online;

import java.util.Collection;
import java.util.List;

/**
 * An online store in Feast's layout: {@link SqliteOnlineStore} (the default) or {@link
 * RedisOnlineStore}. Implementations are thread-safe.
 */
public interface OnlineStore extends AutoCloseable {
  /** Creates what the views need (SQLite tables); nothing for Redis. Idempotent. */
  void prepare(Collection<OnlineView> views);

  /**
   * Writes rows of one view. A row whose event time is not later than the stored one for the same
   * entity is skipped (Feast's rule), so a write can be repeated and an older row never replaces a
   * newer one.
   */
  default WriteResult write(OnlineView view, List<OnlineRow> rows) {
    return write(view, rows, WriteRule.NEWER_ONLY);
  }

  /** Writes rows of one view under {@code rule}. */
  WriteResult write(OnlineView view, List<OnlineRow> rows, WriteRule rule);

  /** When a row replaces what the store holds for its entity. */
  enum WriteRule {
    /** Only when it is later (Feast's rule, materialization): a repeated write changes nothing. */
    NEWER_ONLY,
    /**
     * Unless what is stored is later: a row of the same event time replaces it. A stream pushes a
     * value again at the same event time when a late event completes it, and the SQLite layout
     * keeps whole seconds, so two pushes within a second share one.
     */
    NOT_OLDER
  }

  /**
   * Reads, in as few round trips as the store allows, every read's features for its entities. The
   * result has one list per read, with one entry per entity key: the stored row, or null when the
   * store has nothing for that entity in that view.
   */
  List<List<StoredRow>> read(List<ViewRead> reads);

  /**
   * Removes this project's online data, as Feast's {@code teardown}: the tables of {@code views}
   * (SQLite), or every key of the project (Redis: keys ending with the project's name, as Feast
   * matches them). Returns the number of tables or keys removed.
   */
  long teardown(Collection<OnlineView> views);

  /** Checks that the store answers (a ping, or a query). */
  void ping();

  /** A short description for logs: the file or the server. */
  String describe();

  @Override
  void close();

  /** Rows written and rows skipped because the store already held a newer or equal event time. */
  record WriteResult(long written, long skipped) {
    public WriteResult plus(WriteResult other) {
      return new WriteResult(written + other.written, skipped + other.skipped);
    }
  }
}
