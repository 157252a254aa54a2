package dev.lakerank.model.registry;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One line of a model's history: a registration, an alias set, or an alias rolled back.
 *
 * @param at ISO-8601 UTC
 * @param event {@code register}, {@code alias} or {@code rollback}
 * @param version the version registered, or the one the alias now points to
 * @param previous the version the alias pointed to before, if any
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RegistryEvent(
    String at, String event, String alias, Integer version, Integer previous, String reason) {
  public static final String REGISTER = "register";
  public static final String ALIAS = "alias";
  public static final String ROLLBACK = "rollback";
}
