/**
 * JMH benchmarks of the serving paths: the exported pure-Java ranker and ALS scorers, Spark's
 * one-row {@code transform} they replace at serving time, and a request's online feature read from
 * Redis and SQLite. Run them with {@code benchmarks/run.sh}; results are recorded in {@code
 * docs/benchmarks.md}.
 */
package dev.lakerank.benchmarks;
