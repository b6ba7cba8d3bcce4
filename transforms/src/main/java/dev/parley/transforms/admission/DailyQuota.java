package dev.parley.transforms.admission;

import dev.parley.tenant.ModelConfig;
import dev.parley.tenant.TenantConfig;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The daily caps counted in this JVM, like {@link LocalAdmission}: exact on the DirectRunner and a single worker.
 * A job on many workers counts them in Redis instead ({@link RedisDailyQuota}).
 */
public final class DailyQuota implements DailyCaps {
  private static final DailyQuota SHARED = new DailyQuota();

  DailyQuota() {}

  private record Day(LocalDate date, long used) {}

  private final Map<String, Day> tenantAudioMillis = new ConcurrentHashMap<>();
  private final Map<String, Day> projectRequests = new ConcurrentHashMap<>();

  public static DailyQuota shared() {
    return SHARED;
  }

  @Override
  public synchronized Optional<OverCap> reserve(TenantConfig tenant, QuotaHolder holder,
      ModelConfig.@Nullable ProjectLimits limits, long audioMillis, Instant now) {
    return evaluate(tenant, holder, limits, audioMillis, now, true);
  }

  @Override
  public synchronized Optional<OverCap> check(TenantConfig tenant, QuotaHolder holder,
      ModelConfig.@Nullable ProjectLimits limits, long audioMillis, Instant now) {
    return evaluate(tenant, holder, limits, audioMillis, now, false);
  }

  private Optional<OverCap> evaluate(TenantConfig tenant, QuotaHolder holder,
      ModelConfig.@Nullable ProjectLimits limits, long audioMillis, Instant now, boolean commit) {
    LocalDate utcDay = OverCap.tenantDay(now);
    LocalDate pacificDay = OverCap.projectDay(now);
    long tenantUsed = used(tenantAudioMillis, tenant.id(), utcDay);
    long projectUsed = used(projectRequests, holder.key(), pacificDay);
    Optional<OverCap> over = OverCap.judge(tenant, holder, limits, audioMillis, now, tenantUsed, projectUsed);
    if (over.isEmpty() && commit) {
      tenantAudioMillis.put(tenant.id(), new Day(utcDay, tenantUsed + audioMillis));
      projectRequests.put(holder.key(), new Day(pacificDay, projectUsed + 1));
    }
    return over;
  }

  private static long used(Map<String, Day> counters, String key, LocalDate day) {
    Day current = counters.get(key);
    return current == null || !current.date().equals(day) ? 0 : current.used();
  }
}
