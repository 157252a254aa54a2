/**
 * The recommender's payload (ALS user and item factors, the popularity fallback) and its Spark-free
 * scorer: pair scores equal to Spark's {@code ALSModel.transform} bit for bit, and the exact top K
 * over all items.
 */
package dev.lakerank.model.als;
