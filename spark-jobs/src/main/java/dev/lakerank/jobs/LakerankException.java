package dev.lakerank.jobs;

import dev.lakerank.contract.errors.CategorizedException;
import dev.lakerank.contract.errors.ErrorCategory;

/**
 * A problem the user can fix, or wait out: bad input, a wrong setting, a missing table, Kafka down.
 * The message says what was wrong, with the offending value, and what to do; the CLI prints it
 * without a stack trace and exits with the category's code.
 *
 * <p>Messages are written where the problem is found, in one style: "<what> (<found>); <fix>". The
 * exceptions are made by {@link JobErrors} (and the streaming and demo modules' own {@code
 * *Errors}), which give each its category; nothing else calls the constructor (an ArchUnit rule).
 */
public class LakerankException extends CategorizedException {
  private static final long serialVersionUID = 1L;

  public LakerankException(ErrorCategory category, String message, Throwable cause) {
    super(category, message, cause);
  }
}
