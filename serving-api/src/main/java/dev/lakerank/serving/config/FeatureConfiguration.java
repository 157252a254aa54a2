package dev.lakerank.serving.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import java.util.List;

/**
 * {@code lakerank.features.*}: which online features the API reads and how.
 *
 * @param repo the feature repository ({@code feature_store.yaml} and the definitions)
 * @param dataRoot where the repository's relative registry and SQLite paths resolve, as the jobs'
 *     {@code features.data-root}; null for the repository itself
 * @param onlineStore {@code repo}, {@code sqlite:<path>} or {@code redis:<host:port>}, as the jobs'
 *     {@code features.online-store}
 * @param source the online store read here, or a Feast feature server
 * @param feastHost the Feast feature server, for {@code feast-grpc}
 * @param connections SQLite connections pooled for reads (Redis multiplexes one)
 * @param asOf read features as of this instant (ISO-8601), or {@code materialized} for the newest
 *     materialization's end, instead of now, so ttl checks match a replayed or historical data set
 *     (the demo's generated data); unset in production. The in-process source only.
 * @param cacheKeys the join keys whose rows are kept in process; empty to read every row from the
 *     store
 * @param cacheTtl how long a cached row is used before it is read again
 * @param streamCacheTtl how long a cached row's stream feature views ({@code item_realtime}) are
 *     used: short, since {@code lakerank stream features} updates them seconds after an event; zero
 *     to read them from the store on every request
 * @param cacheRows the most rows kept (least recently written go first)
 */
@ConfigurationProperties("lakerank.features")
public record FeatureConfiguration(
    @Bindable(defaultValue = "feature-repo") @NotBlank String repo,
    @Nullable String dataRoot,
    @Bindable(defaultValue = "repo") @NotBlank String onlineStore,
    @Bindable(defaultValue = "in-process") @NotNull FeatureSourceKind source,
    @Bindable(defaultValue = "127.0.0.1") @NotBlank String feastHost,
    @Bindable(defaultValue = "6566") @Min(1) @Max(65_535) int feastPort,
    @Bindable(defaultValue = "4") @Min(1) @Max(1_000) int connections,
    @Nullable String asOf,
    @Bindable(defaultValue = "item_id") @NotNull List<String> cacheKeys,
    @Bindable(defaultValue = "60s") @NotNull Duration cacheTtl,
    @Bindable(defaultValue = "1s") @NotNull Duration streamCacheTtl,
    @Bindable(defaultValue = "1000000") @Min(0) long cacheRows) {
  public FeatureConfiguration {
    cacheKeys = List.copyOf(cacheKeys);
  }
}
