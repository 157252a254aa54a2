/**
 * The model registry: versions per model name, each an immutable verified bundle, and aliases
 * ({@code champion}, {@code challenger}) switched atomically with their full history. The local
 * directory registry is the default; MLflow implements the same interface in production.
 */
package dev.lakerank.model.registry;
