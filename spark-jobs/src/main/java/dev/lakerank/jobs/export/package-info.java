/**
 * Turns fitted Spark ML models into bundles the pure-Java scorers read: each supported pipeline
 * stage becomes its {@code FeatureTransform}, the classifier its {@code RankerModel}, ALS its
 * factor files.
 */
package dev.lakerank.jobs.export;
