package dev.lakerank.featurestore.online;

/** The online store failed or holds something that is not in Feast's layout. */
public final class OnlineStoreException extends RuntimeException {
  public OnlineStoreException(String message) {
    super(message);
  }

  public OnlineStoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
