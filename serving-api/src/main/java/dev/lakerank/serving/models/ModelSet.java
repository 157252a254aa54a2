package dev.lakerank.serving.models;

import dev.lakerank.model.ranker.RankerScorer;

/**
 * The models one request is served with, swapped as a whole so a request never mixes versions.
 *
 * @param recommender the candidate generator
 * @param ranker the ranker, with its inputs resolved against the online features
 */
public record ModelSet(
    LoadedModel<Candidates> recommender, LoadedModel<RankerScorer> ranker, RankerInputs inputs) {}
