/**
 * The Micronaut serving API: recommendations and ranking from exported model bundles and online
 * features, with no Spark on the classpath (the build enforces it).
 *
 * <p>{@code models} loads the champions from the registry and swaps them atomically; {@code
 * features} reads online features in process or from a Feast gRPC server; {@code ranking} turns
 * candidates and features into scores; {@code log} records every answer and feedback without
 * blocking a request; {@code api} holds the HTTP endpoints and their errors.
 */
package dev.lakerank.serving;
