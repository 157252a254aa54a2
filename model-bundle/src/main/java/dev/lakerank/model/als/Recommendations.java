package dev.lakerank.model.als;

import java.util.List;

/**
 * The top items for a user, best first.
 *
 * @param fallback true when the user has no factors and the items are the most popular ones
 */
public record Recommendations(List<Recommendation> items, boolean fallback) {
  public Recommendations {
    items = List.copyOf(items);
  }
}
