/**
 * The offline feature store: gold feature tables computed from silver ({@link
 * dev.lakerank.jobs.features.ActivityFeatures}, {@link dev.lakerank.jobs.features.ItemProfile}),
 * the point-in-time join with Feast's semantics ({@link
 * dev.lakerank.jobs.features.PointInTimeJoin}), historical retrieval by feature reference ({@link
 * dev.lakerank.jobs.features.HistoricalFeatures}) and the ranker's training set ({@link
 * dev.lakerank.jobs.features.TrainingSetBuilder}).
 */
package dev.lakerank.jobs.features;
