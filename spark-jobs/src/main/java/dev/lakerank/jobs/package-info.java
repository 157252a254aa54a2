/**
 * Lakerank's Spark batch jobs and the {@code lakerank} command-line tool.
 *
 * <p>One package per stage: {@code generate}, {@code ingest}, {@code validate}, {@code transform},
 * {@code features}, {@code query}, {@code maintain}, {@code pipeline}; {@code tables} owns every
 * table's name and schema, {@code lakehouse} where they live, {@code config} the settings and
 * {@code cli} the commands. A job's work is a method from Datasets to Datasets; reading and writing
 * tables is a thin shell around it.
 */
package dev.lakerank.jobs;
