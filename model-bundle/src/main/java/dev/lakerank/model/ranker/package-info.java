/**
 * The ranker's payload (every feature transform applied before the model, then a logistic
 * regression, a tree ensemble or a factorization machine) and its Spark-free scorer.
 */
package dev.lakerank.model.ranker;
