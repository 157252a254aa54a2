/**
 * The Micronaut serving API: recommendations and ranking from exported model bundles and online
 * features. It never sees Spark; the build enforces it. The service arrives with the serving issue.
 */
package dev.lakerank.serving;
