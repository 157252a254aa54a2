package dev.lakerank.serving;

import io.micronaut.context.annotation.ConfigurationProperties;

/**
 * {@code lakerank.serving.*}: where the models come from and the request limits.
 *
 * <p>Mutable for Micronaut's binding; read only after start.
 */
@ConfigurationProperties("lakerank.serving")
public class ServingSettings {
  private String registry = "registry";
  private String recommender = "recommender";
  private String ranker = "ranker";
  private String alias = "champion";
  private int candidates = 200;
  private String adminToken;

  /** The model registry's root directory. */
  public String getRegistry() {
    return registry;
  }

  public void setRegistry(String registry) {
    this.registry = registry;
  }

  /** The registered name of the candidate generator (ALS). */
  public String getRecommender() {
    return recommender;
  }

  public void setRecommender(String recommender) {
    this.recommender = recommender;
  }

  /** The registered name of the ranker. */
  public String getRanker() {
    return ranker;
  }

  public void setRanker(String ranker) {
    this.ranker = ranker;
  }

  /** The alias served (the champion). */
  public String getAlias() {
    return alias;
  }

  public void setAlias(String alias) {
    this.alias = alias;
  }

  /** How many ALS candidates the ranker re-ranks for a recommendation. */
  public int getCandidates() {
    return candidates;
  }

  public void setCandidates(int candidates) {
    this.candidates = candidates;
  }

  /**
   * When set, admin calls need it in {@code X-Admin-Token}; when not, they are taken from loopback
   * only.
   */
  public String getAdminToken() {
    return adminToken;
  }

  public void setAdminToken(String adminToken) {
    this.adminToken = adminToken;
  }
}
