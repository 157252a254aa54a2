package dev.lakerank.jobs.generate;

/**
 * One simulated impression and what followed it. Times are epoch milliseconds; fields of events
 * that did not happen are zero or null.
 */
record Impression(
    long index,
    String impressionId,
    long user,
    long item,
    long itemRank,
    long timeMillis,
    int hour,
    int device,
    String sessionId,
    double affinity,
    double clickProbability,
    boolean drifted,
    boolean clicked,
    String clickId,
    long clickMillis,
    long dwellMs,
    boolean purchased,
    String purchaseId,
    long purchaseMillis,
    double pricePaid,
    boolean rated,
    String ratingId,
    long ratingMillis,
    int rating) {}
