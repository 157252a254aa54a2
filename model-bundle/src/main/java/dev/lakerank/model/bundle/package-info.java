/**
 * The exported model format: a directory holding {@code manifest.json} and the payload files, every
 * file checked against the sha256 the manifest records.
 *
 * <p>A bundle is written by the Spark jobs and read by the serving API, so this module depends on
 * neither Spark nor Micronaut; the build enforces it.
 */
package dev.lakerank.model.bundle;
