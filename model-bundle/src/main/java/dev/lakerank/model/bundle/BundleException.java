package dev.lakerank.model.bundle;

/** A bundle that cannot be written, read or trusted; the message names the file and the fix. */
public final class BundleException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public BundleException(String message) {
    super(message);
  }

  public BundleException(String message, Throwable cause) {
    super(message, cause);
  }
}
