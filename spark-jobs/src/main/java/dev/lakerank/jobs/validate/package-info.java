/**
 * Declarative expectations on raw rows. An {@link dev.lakerank.jobs.validate.Expectation} names a
 * rule, the condition under which a row breaks it and a readable reason with the offending value;
 * {@link dev.lakerank.jobs.validate.Validation} evaluates a list of them in one pass and splits the
 * rows into valid and rejected, each rejected row carrying every rule it broke.
 */
package dev.lakerank.jobs.validate;
