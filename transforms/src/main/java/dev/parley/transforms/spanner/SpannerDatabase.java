package dev.parley.transforms.spanner;

import dev.parley.tenant.TenantConfig;
import java.io.Serializable;

/** One Spanner database the sink writes to: the shared one, or a tenant's own. */
public record SpannerDatabase(String project, String instance, String database) implements Serializable {
  public static SpannerDatabase of(TenantConfig.Spanner spanner) {
    return new SpannerDatabase(spanner.project(), spanner.instance(), spanner.database());
  }

  /** {@code projects/P/instances/I/databases/D}, as Spanner names it. */
  public String path() {
    return "projects/" + project + "/instances/" + instance + "/databases/" + database;
  }

  @Override
  public String toString() {
    return path();
  }
}
