/**
 * Feast-compatible feature store: feature definitions ({@link
 * dev.lakerank.featurestore.definition}), and, as later work lands, the registry file, entity-key
 * encoding, online stores and the gRPC feature server.
 *
 * <p>This module depends on neither Spark nor Micronaut (the build enforces it), so the serving API
 * and the Spark jobs share one set of definitions.
 */
package dev.lakerank.featurestore;
