/**
 * One class per table (or family of tables): its name, schema and column constants. Column names
 * are written here and nowhere else.
 */
package dev.lakerank.jobs.tables;
