package dev.parley.tenant;

import java.io.Serializable;
import java.time.Duration;
import java.util.List;

/**
 * Where a job reads its tenant config from and how often it re-reads it: the serializable handle that
 * transforms carry to the workers, which {@link #open} it in {@code @Setup}.
 */
public record TenantConfigSpec(List<String> locations, Duration reloadInterval) implements Serializable {
  /** Mimir's runtime-config period: a change of limits reaches a running job well within a minute. */
  public static final Duration DEFAULT_RELOAD_INTERVAL = Duration.ofSeconds(10);

  public TenantConfigSpec {
    locations = List.copyOf(locations);
    if (locations.isEmpty()) {
      throw new IllegalArgumentException("at least one tenant config location is required");
    }
  }

  public static TenantConfigSpec of(List<String> locations) {
    return new TenantConfigSpec(locations, DEFAULT_RELOAD_INTERVAL);
  }

  public ReloadingTenantRegistry open() throws TenantConfigException {
    return ReloadingTenantRegistry.shared(locations, reloadInterval);
  }
}
