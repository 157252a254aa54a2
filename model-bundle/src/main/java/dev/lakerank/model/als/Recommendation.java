package dev.lakerank.model.als;

/** One recommended item and its score (ALS dot product, or popularity share for a fallback). */
public record Recommendation(long itemId, double score) {}
