package dev.lakerank.model.als;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * The fallback for users the factors do not know: items by decreasing popularity in the training
 * window, with their share of interactions as the score.
 */
public record Popularity(@JsonProperty("item_ids") List<Long> itemIds, List<Double> scores) {
  public Popularity {
    itemIds = List.copyOf(itemIds);
    scores = List.copyOf(scores);
    if (itemIds.size() != scores.size()) {
      throw new IllegalArgumentException(
          "popularity has " + itemIds.size() + " items and " + scores.size() + " scores");
    }
  }
}
