/**
 * JMH benchmarks of the scoring paths: the exported pure-Java ranker and ALS scorers, and Spark's
 * one-row {@code transform} they replace at serving time. Run them with {@code benchmarks/run.sh};
 * results are recorded in {@code docs/benchmarks.md}.
 */
package dev.lakerank.benchmarks;
