package dev.lakerank.contract.errors;

import static java.util.Objects.requireNonNull;

/**
 * A problem the user can fix, or wait out: the message says what was wrong, with the offending
 * value, and what to do; the category says what kind it is. Every module's user-facing exceptions
 * extend it, and each module makes them in one place (its {@code *Errors} class).
 */
public abstract class CategorizedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final ErrorCategory category;

  protected CategorizedException(ErrorCategory category, String message, Throwable cause) {
    super(message, cause);
    this.category = requireNonNull(category, "category");
  }

  public ErrorCategory category() {
    return category;
  }
}
