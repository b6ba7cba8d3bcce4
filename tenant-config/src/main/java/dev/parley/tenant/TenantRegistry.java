package dev.parley.tenant;

import java.io.Serializable;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * An immutable, validated snapshot of every tenant. Built only by {@link TenantConfigLoader}; a running job
 * swaps whole snapshots ({@link ReloadingTenantRegistry}), so one element always sees one consistent config.
 */
public final class TenantRegistry implements Serializable {
  private final SortedMap<String, TenantConfig> tenants;
  private final Map<String, ModelConfig> models;
  private final String fingerprint;

  TenantRegistry(Map<String, TenantConfig> tenants, Map<String, ModelConfig> models, String fingerprint) {
    this.tenants = new TreeMap<>(tenants);
    this.models = Map.copyOf(models);
    this.fingerprint = fingerprint;
  }

  /** The price and project limits of a model, when configured. */
  public Optional<ModelConfig> model(String name) {
    return Optional.ofNullable(name == null ? null : models.get(name));
  }

  public Optional<TenantConfig> find(String tenantId) {
    return Optional.ofNullable(tenantId == null ? null : tenants.get(tenantId));
  }

  public Collection<TenantConfig> tenants() {
    return tenants.values();
  }

  /** A digest of the source documents: equal fingerprints mean identical configuration. */
  public String fingerprint() {
    return fingerprint;
  }

  /**
   * The tenant whose configured sources hold {@code uri}, if any. Overlapping sources of two tenants are
   * refused when loading, so there is at most one.
   */
  public Optional<TenantConfig> ownerOfSource(String uri) {
    String location = SourcePrefix.normalizeObject(uri);
    for (TenantConfig tenant : tenants.values()) {
      for (String source : tenant.sources()) {
        if (location.startsWith(SourcePrefix.normalizeFolder(source))) {
          return Optional.of(tenant);
        }
      }
    }
    return Optional.empty();
  }

  /**
   * The tenant whose {@code inboundEmail} settings receive mail for {@code recipient}, if any. Two tenants
   * claiming one recipient are refused when loading, so there is at most one.
   */
  public Optional<TenantConfig> ownerOfRecipient(String recipient) {
    return tenants.values().stream()
        .filter(t -> t.inboundEmail() != null && t.inboundEmail().receives(recipient))
        .findFirst();
  }

  /** Whether {@code uri} lies under one of this tenant's configured sources. */
  public static boolean isUnderSources(TenantConfig tenant, String uri) {
    String location = SourcePrefix.normalizeObject(uri);
    List<String> sources = tenant.sources();
    return sources.stream().anyMatch(s -> location.startsWith(SourcePrefix.normalizeFolder(s)));
  }
}
