package dev.parley.transforms.spanner;

import dev.parley.tenant.TenantConfig;
import dev.parley.tenant.TenantRegistry;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The Spanner databases a job writes to, fixed when the job is built: the shared database (keys prefixed by
 * TenantId) and every database a tenant has of its own in tenant config. Beam needs one {@code SpannerIO.write}
 * per database in the graph, so a database a tenant is given later is refused per call (a dead letter naming
 * it) until the job is updated, rather than written to the wrong place.
 */
public final class SpannerTargets implements Serializable {
  private final @Nullable SpannerDatabase shared;
  private final List<SpannerDatabase> databases;

  private SpannerTargets(@Nullable SpannerDatabase shared, List<SpannerDatabase> databases) {
    this.shared = shared;
    this.databases = List.copyOf(databases);
  }

  /**
   * @param shared where tenants without a {@code spanner} section of their own go; null when there is none
   */
  public static SpannerTargets of(@Nullable SpannerDatabase shared, TenantRegistry tenants) {
    Set<SpannerDatabase> all = new LinkedHashSet<>();
    if (shared != null) {
      all.add(shared);
    }
    for (TenantConfig tenant : tenants.tenants()) {
      if (tenant.spanner() != null) {
        all.add(SpannerDatabase.of(tenant.spanner()));
      }
    }
    return new SpannerTargets(shared, new ArrayList<>(all));
  }

  /** Every database of the job, in a fixed order (the shared one first). */
  public List<SpannerDatabase> databases() {
    return databases;
  }

  /** The database a tenant's rows go to: its own if configured, else the shared one. */
  public Optional<SpannerDatabase> databaseOf(TenantConfig tenant) {
    return tenant.spanner() != null ? Optional.of(SpannerDatabase.of(tenant.spanner())) : Optional.ofNullable(shared);
  }
}
