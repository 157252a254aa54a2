-- A tour of the lakehouse for analysts: Spark SQL over the Delta tables that
-- `bin/lakerank pipeline run` (or `bin/lakerank demo`) builds.
--
-- Run one statement:   bin/lakerank sql "SELECT ... FROM silver.interactions"
-- Run them all:        bin/lakerank sql --file notebooks/lakehouse-tour.sql
-- Every statement here runs in the test suite against a freshly built lakehouse
-- (PipelineEndToEndTest), so the tour stays true to the tables.

-- 1. What arrived, per day and event type.
SELECT event_date, event_type, count(*) AS events
FROM silver.interactions
GROUP BY event_date, event_type
ORDER BY event_date, event_type;

-- 2. Why rows were rejected: one line per rule, with an example reason.
SELECT rule, count(*) AS rows, min(reason) AS example
FROM quarantine.events
GROUP BY rule
ORDER BY rows DESC;

-- 3. Every transform run reconciles: bronze = silver inserted + quarantined + duplicates.
SELECT source_table, bronze_version_from, bronze_version_to, bronze_rows,
       silver_inserted, quarantined, duplicates,
       bronze_rows = silver_inserted + silver_updated + quarantined + duplicates AS reconciles
FROM ops.transform_runs
ORDER BY started_at;

-- 4. Click-through rate by device and hour (impressions are labelled in the training set).
SELECT device, hour_of_day, count(*) AS impressions, round(avg(label_click), 4) AS ctr
FROM gold.ranker_training_set
GROUP BY device, hour_of_day
ORDER BY device, hour_of_day;

-- 5. The most popular items on the latest snapshot, with their catalogue attributes.
WITH latest AS (
  SELECT * FROM gold.item_popularity_features
  WHERE event_timestamp = (SELECT max(event_timestamp) FROM gold.item_popularity_features))
SELECT l.item_id, p.category, p.price, l.impressions_7d, l.clicks_7d, round(l.ctr_7d, 4) AS ctr_7d
FROM latest l LEFT JOIN (SELECT item_id, max_by(category, event_timestamp) AS category,
                  max_by(price, event_timestamp) AS price
           FROM gold.item_profile_features GROUP BY item_id) p
  ON p.item_id = l.item_id
ORDER BY l.impressions_7d DESC
LIMIT 20;

-- 6. Time travel: every version of silver, with the operation and its metrics.
DESCRIBE HISTORY silver.interactions;

-- 7. Silver as it was at its first version.
SELECT count(*) AS rows_at_version_0 FROM silver.interactions VERSION AS OF 0;
