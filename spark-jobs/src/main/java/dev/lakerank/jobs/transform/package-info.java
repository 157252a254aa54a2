/**
 * Bronze to silver: validation against declarative expectations, quarantine of every rejected row
 * with its reason, deduplication by MERGE on the event id, and upserts of users and items. Each run
 * reads only the bronze rows committed since the last run (Delta's change data feed) and reconciles
 * exactly: bronze rows = silver + quarantined + duplicates.
 */
package dev.lakerank.jobs.transform;
