package dev.lakerank.serving.features;

import io.micronaut.context.annotation.ConfigurationProperties;

/**
 * {@code lakerank.features.*}: which online features the API reads and how.
 *
 * <p>Mutable for Micronaut's binding; read only after start.
 */
@ConfigurationProperties("lakerank.features")
public class FeatureSettings {
  private String repo = "feature-repo";
  private String dataRoot;
  private String onlineStore = "repo";
  private String source = "in-process";
  private String feastHost = "127.0.0.1";
  private int feastPort = 6566;
  private int connections = 4;
  private String asOf;
  private java.util.List<String> cacheKeys = java.util.List.of("item_id");
  private java.time.Duration cacheTtl = java.time.Duration.ofSeconds(60);
  private java.time.Duration streamCacheTtl = java.time.Duration.ofSeconds(1);
  private long cacheRows = 1_000_000;

  /** The feature repository ({@code feature_store.yaml} and the definitions). */
  public String getRepo() {
    return repo;
  }

  public void setRepo(String repo) {
    this.repo = repo;
  }

  /**
   * Where the repository's relative registry and SQLite paths resolve, as the jobs' {@code
   * features.data-root}.
   */
  public String getDataRoot() {
    return dataRoot;
  }

  public void setDataRoot(String dataRoot) {
    this.dataRoot = dataRoot;
  }

  /**
   * {@code repo}, {@code sqlite:<path>} or {@code redis:<host:port>}, as the jobs' {@code
   * features.online-store}.
   */
  public String getOnlineStore() {
    return onlineStore;
  }

  public void setOnlineStore(String onlineStore) {
    this.onlineStore = onlineStore;
  }

  /**
   * {@code in-process} (the feature-store library) or {@code feast-grpc} (a Feast feature server).
   */
  public String getSource() {
    return source;
  }

  public void setSource(String source) {
    this.source = source;
  }

  public String getFeastHost() {
    return feastHost;
  }

  public void setFeastHost(String feastHost) {
    this.feastHost = feastHost;
  }

  public int getFeastPort() {
    return feastPort;
  }

  public void setFeastPort(int feastPort) {
    this.feastPort = feastPort;
  }

  /**
   * Read features as of this instant (ISO-8601) instead of now, or {@code materialized} for the
   * newest materialization's end, so ttl checks match a replayed or historical data set (the demo's
   * generated data); unset in production. The in-process source only.
   */
  public String getAsOf() {
    return asOf;
  }

  public void setAsOf(String asOf) {
    this.asOf = asOf;
  }

  /**
   * The join keys whose rows are kept in process ({@code item_id}); empty to read every row from
   * the store.
   */
  public java.util.List<String> getCacheKeys() {
    return cacheKeys;
  }

  public void setCacheKeys(java.util.List<String> cacheKeys) {
    this.cacheKeys = cacheKeys;
  }

  /** How long a cached row is used before it is read again. */
  public java.time.Duration getCacheTtl() {
    return cacheTtl;
  }

  public void setCacheTtl(java.time.Duration cacheTtl) {
    this.cacheTtl = cacheTtl;
  }

  /**
   * How long a cached row's stream feature views ({@code item_realtime}) are used before they are
   * read again: short, since {@code lakerank stream features} updates them seconds after an event;
   * zero to read them from the store on every request.
   */
  public java.time.Duration getStreamCacheTtl() {
    return streamCacheTtl;
  }

  public void setStreamCacheTtl(java.time.Duration streamCacheTtl) {
    this.streamCacheTtl = streamCacheTtl;
  }

  /** The most rows kept per ranker (least recently written go first). */
  public long getCacheRows() {
    return cacheRows;
  }

  public void setCacheRows(long cacheRows) {
    this.cacheRows = cacheRows;
  }

  /** SQLite connections pooled for reads (Redis multiplexes one). */
  public int getConnections() {
    return connections;
  }

  public void setConnections(int connections) {
    this.connections = connections;
  }
}
