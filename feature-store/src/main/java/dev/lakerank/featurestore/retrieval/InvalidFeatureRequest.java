package dev.lakerank.featurestore.retrieval;

/**
 * A feature request that cannot be answered as asked: the message names the problem and the fix.
 */
public final class InvalidFeatureRequest extends RuntimeException {
  public InvalidFeatureRequest(String message) {
    super(message);
  }
}
