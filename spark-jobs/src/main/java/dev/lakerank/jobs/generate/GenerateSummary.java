package dev.lakerank.jobs.generate;

/**
 * What a generate run wrote.
 *
 * @param eventLines lines in the events log, corrupted and duplicated ones included
 * @param corruptedLines lines with an injected {@link Corruption}
 * @param duplicatedLines extra copies of lines (same event id)
 * @param cleanDuplicatedLines the copies of lines without corruption: the rows {@code transform}
 *     must count as duplicates, as the corrupted ones are all quarantined
 */
public record GenerateSummary(
    String output,
    long impressions,
    long clicks,
    long purchases,
    long ratings,
    long eventLines,
    long corruptedLines,
    long duplicatedLines,
    long cleanDuplicatedLines,
    long users,
    long items,
    double meanClickProbability) {}
