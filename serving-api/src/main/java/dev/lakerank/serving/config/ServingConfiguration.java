package dev.lakerank.serving.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;

/**
 * {@code lakerank.serving.*}: which models are served, from where, and the request limits. Every
 * default is here, and only here.
 *
 * @param registry the local model registry's directory ({@code lakerank.registry.type: local})
 * @param recommender the registered name of the candidate generator
 * @param ranker the registered name of the ranker
 * @param alias the alias served
 * @param candidates how many candidates the ranker re-ranks for a recommendation
 * @param adminToken when set, admin calls need it in {@code X-Admin-Token}; when not, they are
 *     taken from loopback only
 * @param pollInterval how often the aliases are compared with what is loaded
 */
@ConfigurationProperties("lakerank.serving")
public record ServingConfiguration(
    @Bindable(defaultValue = "registry") @NotBlank String registry,
    @Bindable(defaultValue = "recommender") @NotBlank String recommender,
    @Bindable(defaultValue = "ranker") @NotBlank String ranker,
    @Bindable(defaultValue = "champion") @NotBlank String alias,
    @Bindable(defaultValue = "200") @Min(1) @Max(100_000) int candidates,
    @Nullable String adminToken,
    @Bindable(defaultValue = "10s") @NotNull Duration pollInterval) {}
