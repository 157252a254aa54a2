package dev.lakerank.serving.ranking;

/**
 * The model versions that answered, as {@code name@version}.
 *
 * @param recommender null when no recommender took part (predictions)
 */
public record ModelLabels(String recommender, String ranker) {}
