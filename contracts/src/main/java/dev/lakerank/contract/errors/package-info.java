/**
 * User-facing errors across modules: {@link ErrorCategory} and the base of every module's
 * exceptions, {@link CategorizedException}, which the CLI maps to exit codes and the serving API to
 * problem responses.
 */
package dev.lakerank.contract.errors;
