package dev.lakerank.serving.ranking;

import java.util.Map;

/**
 * One row to score: inputs given by the ranker's input names are used as given, the others are read
 * online for the ids given, or missing.
 *
 * @param userId null when not given
 * @param itemId null when not given
 * @param features given inputs by name; null or empty for none
 */
public record ScoringRow(Long userId, Long itemId, Map<String, Object> features) {}
