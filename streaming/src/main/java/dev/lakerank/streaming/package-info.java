/**
 * Spark Structured Streaming jobs on Kafka: events into bronze, real-time features, prediction
 * logs. Never sees Micronaut; the build enforces it. The jobs arrive with the streaming issue.
 */
package dev.lakerank.streaming;
