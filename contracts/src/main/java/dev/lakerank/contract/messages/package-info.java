/**
 * The messages that cross a process boundary, one definition each: {@link PredictionMessage} and
 * {@link FeedbackMessage} (the serving API's logs) and {@link EventMessage} (interaction events).
 * The writers emit their fields in {@link MessageSchema#fieldNames()} order, the readers build
 * their tables from the same schema, and tests on both sides check their schemas against it.
 */
package dev.lakerank.contract.messages;
