package dev.parley.tenant;

import java.io.Serializable;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * One thing wrong with the tenant configuration, located by file, tenant and field (a JSON pointer inside
 * the tenant's settings, or inside the file when no tenant applies).
 */
public record ConfigProblem(String file, @Nullable String tenant, String field, String message)
    implements Serializable {

  @Override
  public String toString() {
    StringBuilder out = new StringBuilder(file).append(": ");
    if (tenant != null) {
      out.append("tenant '").append(tenant).append("': ");
    }
    if (!field.isEmpty()) {
      out.append(field).append(": ");
    }
    return out.append(message).toString();
  }
}
