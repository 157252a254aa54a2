package dev.lakerank.featurestore.definition;

/**
 * A feature definition or repository configuration is wrong. The message names the file or object,
 * the offending value and what to change.
 */
public final class DefinitionException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public DefinitionException(String message) {
    super(message);
  }

  public DefinitionException(String message, Throwable cause) {
    super(message, cause);
  }
}
