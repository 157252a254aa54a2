package dev.lakerank.model.registry;

import dev.lakerank.model.bundle.Manifest;
import java.nio.file.Path;

/**
 * One registered version: its manifest (kind, metrics, params, lineage) and where its bundle is.
 *
 * @param registeredAt ISO-8601 UTC
 */
public record ModelVersion(String model, int version, Manifest manifest, Path bundle, String registeredAt) {}
