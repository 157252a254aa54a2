package dev.lakerank.serving.models;

import dev.lakerank.model.als.AlsScorer;
import dev.lakerank.model.als.SeenItems;

/**
 * The candidate generator: an exported ALS model and the items each user had interacted with when
 * it was trained (left out of the user's candidates).
 */
public record Candidates(AlsScorer als, SeenItems seen) {}
