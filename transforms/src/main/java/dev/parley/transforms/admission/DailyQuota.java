package dev.parley.transforms.admission;

import dev.parley.tenant.ModelConfig;
import dev.parley.tenant.TenantConfig;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Daily caps, counted when a call is let through (before it is transcribed, so a call over the cap never
 * costs a model request): a tenant's audio minutes per UTC day ({@code quota.audioMinutesPerDay}) and a
 * project's requests per day ({@code models.<m>.projectLimits.requestsPerDay}), which Google resets at midnight
 * Pacific time. Held in this JVM, like {@link LocalAdmission}.
 */
public final class DailyQuota {
  static final ZoneId PACIFIC = ZoneId.of("America/Los_Angeles");
  private static final DailyQuota SHARED = new DailyQuota();

  DailyQuota() {}

  /** A call over a cap: the message names the limit, its value and the setting to raise (as Mimir does). */
  public record OverCap(String message, Instant resetsAt) {}

  private record Day(LocalDate date, long used) {}

  private final Map<String, Day> tenantAudioMillis = new ConcurrentHashMap<>();
  private final Map<String, Day> projectRequests = new ConcurrentHashMap<>();

  public static DailyQuota shared() {
    return SHARED;
  }

  /** Counts the call against both caps if it fits under both; otherwise counts nothing and says why. */
  public synchronized Optional<OverCap> reserve(TenantConfig tenant, QuotaHolder holder,
      ModelConfig.@Nullable ProjectLimits limits, long audioMillis, Instant now) {
    return evaluate(tenant, holder, limits, audioMillis, now, true);
  }

  /** Whether the call would fit, counting nothing. */
  public synchronized Optional<OverCap> check(TenantConfig tenant, QuotaHolder holder,
      ModelConfig.@Nullable ProjectLimits limits, long audioMillis, Instant now) {
    return evaluate(tenant, holder, limits, audioMillis, now, false);
  }

  private Optional<OverCap> evaluate(TenantConfig tenant, QuotaHolder holder,
      ModelConfig.@Nullable ProjectLimits limits, long audioMillis, Instant now, boolean commit) {
    Long minutes = tenant.quota().audioMinutesPerDay();
    LocalDate utcDay = now.atZone(ZoneOffset.UTC).toLocalDate();
    long tenantUsed = used(tenantAudioMillis, tenant.id(), utcDay);
    if (minutes != null && tenantUsed + audioMillis > minutes * 60_000) {
      Instant reset = utcDay.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
      return Optional.of(new OverCap(String.format(java.util.Locale.ROOT,
          "tenant '%s' has used %.1f of its %d audio minutes for today (quota.audioMinutesPerDay=%d); this call "
              + "needs %.1f more. The cap resets at %s; raise quota.audioMinutesPerDay in the tenant config to admit more today.",
          tenant.id(), tenantUsed / 60_000.0, minutes, minutes, audioMillis / 60_000.0, reset), reset));
    }
    Integer perDay = limits == null ? null : limits.requestsPerDay();
    LocalDate pacificDay = now.atZone(PACIFIC).toLocalDate();
    long projectUsed = used(projectRequests, holder.key(), pacificDay);
    if (perDay != null && projectUsed + 1 > perDay) {
      Instant reset = pacificDay.plusDays(1).atStartOfDay(PACIFIC).toInstant();
      return Optional.of(new OverCap(String.format(java.util.Locale.ROOT,
          "the Google Cloud project's daily quota for %s is spent: %d requests per day "
              + "(models.%s.projectLimits.requestsPerDay=%d). It resets at %s (midnight Pacific); raise the "
              + "project's quota with Google and then models.%s.projectLimits.requestsPerDay to admit more today.",
          holder.model(), perDay, holder.model(), perDay, reset, holder.model()), reset));
    }
    if (commit) {
      tenantAudioMillis.put(tenant.id(), new Day(utcDay, tenantUsed + audioMillis));
      projectRequests.put(holder.key(), new Day(pacificDay, projectUsed + 1));
    }
    return Optional.empty();
  }

  private static long used(Map<String, Day> counters, String key, LocalDate day) {
    Day current = counters.get(key);
    return current == null || !current.date().equals(day) ? 0 : current.used();
  }
}
