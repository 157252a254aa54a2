/**
 * The exported model format and the pure-Java scorers that read it.
 *
 * <p>A bundle is written by the Spark jobs and read by the serving API, so this module depends on
 * neither Spark nor Micronaut; the build enforces it. The bundle format and the scorers arrive with
 * the training issue.
 */
package dev.lakerank.bundle;
