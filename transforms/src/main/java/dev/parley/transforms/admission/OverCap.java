package dev.parley.transforms.admission;

import dev.parley.tenant.ModelConfig;
import dev.parley.tenant.TenantConfig;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.Optional;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * A call over a daily cap: the message names the limit, its value and the setting to raise (as Mimir does), and
 * when the cap resets. Also the rules every {@link DailyCaps} applies, whoever keeps the counts.
 */
public record OverCap(String message, Instant resetsAt) {
  static final ZoneId PACIFIC = ZoneId.of("America/Los_Angeles");

  /** The day a tenant's audio minutes count towards: UTC. */
  static LocalDate tenantDay(Instant now) {
    return now.atZone(ZoneOffset.UTC).toLocalDate();
  }

  /** The day a project's requests count towards: Google resets them at midnight Pacific. */
  static LocalDate projectDay(Instant now) {
    return now.atZone(PACIFIC).toLocalDate();
  }

  /** Whether a call of {@code audioMillis} fits on top of what the tenant and the project used today. */
  static Optional<OverCap> judge(TenantConfig tenant, QuotaHolder holder, ModelConfig.@Nullable ProjectLimits limits,
      long audioMillis, Instant now, long tenantUsedMillis, long projectUsedRequests) {
    Long minutes = tenant.quota().audioMinutesPerDay();
    if (minutes != null && tenantUsedMillis + audioMillis > minutes * 60_000) {
      Instant reset = tenantDay(now).plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
      return Optional.of(new OverCap(String.format(Locale.ROOT,
          "tenant '%s' has used %.1f of its %d audio minutes for today (quota.audioMinutesPerDay=%d); this call "
              + "needs %.1f more. The cap resets at %s; raise quota.audioMinutesPerDay in the tenant config to admit more today.",
          tenant.id(), tenantUsedMillis / 60_000.0, minutes, minutes, audioMillis / 60_000.0, reset), reset));
    }
    Integer perDay = limits == null ? null : limits.requestsPerDay();
    if (perDay != null && projectUsedRequests + 1 > perDay) {
      Instant reset = projectDay(now).plusDays(1).atStartOfDay(PACIFIC).toInstant();
      return Optional.of(new OverCap(String.format(Locale.ROOT,
          "the Google Cloud project's daily quota for %s is spent: %d requests per day "
              + "(models.%s.projectLimits.requestsPerDay=%d). It resets at %s (midnight Pacific); raise the "
              + "project's quota with Google and then models.%s.projectLimits.requestsPerDay to admit more today.",
          holder.model(), perDay, holder.model(), perDay, reset, holder.model()), reset));
    }
    return Optional.empty();
  }
}
