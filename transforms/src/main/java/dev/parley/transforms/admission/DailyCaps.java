package dev.parley.transforms.admission;

import dev.parley.tenant.ModelConfig;
import dev.parley.tenant.TenantConfig;
import java.time.Instant;
import java.util.Optional;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Daily caps, counted when a call is let through (before it is transcribed, so a call over a cap never costs a
 * model request): a tenant's audio minutes per UTC day ({@code quota.audioMinutesPerDay}) and a project's requests
 * per day ({@code models.<m>.projectLimits.requestsPerDay}), which Google resets at midnight Pacific time. Held in
 * this JVM ({@link DailyQuota}) or in Redis for every worker ({@link RedisDailyQuota}).
 */
public interface DailyCaps {
  /** Counts the call against both caps if it fits under both; otherwise counts nothing and says why. */
  Optional<OverCap> reserve(TenantConfig tenant, QuotaHolder holder, ModelConfig.@Nullable ProjectLimits limits,
      long audioMillis, Instant now);

  /** Whether the call would fit, counting nothing. */
  Optional<OverCap> check(TenantConfig tenant, QuotaHolder holder, ModelConfig.@Nullable ProjectLimits limits,
      long audioMillis, Instant now);
}
