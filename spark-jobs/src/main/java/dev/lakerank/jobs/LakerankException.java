package dev.lakerank.jobs;

/**
 * A problem the user can fix: bad input, a wrong setting, a missing table. The message says what
 * was wrong, with the offending value, and what to do; the CLI prints it without a stack trace.
 *
 * <p>Messages are written where the problem is found, in one style: "<what> (<found>); <fix>".
 */
public class LakerankException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public LakerankException(String message) {
    super(message);
  }

  public LakerankException(String message, Throwable cause) {
    super(message, cause);
  }
}
