package dev.lakerank.jobs.ingest;

import dev.lakerank.jobs.tables.BronzeTable;

/**
 * What an ingest run did.
 *
 * @param batchId the {@code _batch_id} of the rows written, or null when nothing was new
 * @param filesSkipped files ingested by an earlier run, left alone
 * @param corruptRows rows kept with their raw text in {@code _corrupt_record} because they could
 *     not be parsed; transform quarantines them
 * @param bronzeVersion the table's Delta version after the run
 */
public record IngestSummary(
    BronzeTable table,
    SourceFormat format,
    String batchId,
    int filesRead,
    int filesSkipped,
    long rows,
    long corruptRows,
    long bronzeVersion) {}
