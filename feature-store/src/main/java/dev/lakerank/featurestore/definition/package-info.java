/**
 * Declarative feature definitions, one to one with Feast's objects: {@link
 * dev.lakerank.featurestore.definition.Entity}, {@link
 * dev.lakerank.featurestore.definition.FeatureView}, {@link
 * dev.lakerank.featurestore.definition.FeatureService}, read from a feature repository directory by
 * {@link dev.lakerank.featurestore.definition.FeatureRepository}.
 */
package dev.lakerank.featurestore.definition;
