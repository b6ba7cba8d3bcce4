package dev.parley.transforms.admission;

import dev.parley.tenant.TenantConfig;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.TokensInheritanceStrategy;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A token bucket per tenant (requests per minute, with a burst), shared by every DoFn in the worker JVM.
 * Callers reserve before each model call and wait the returned time, so calls leave at the tenant's rate in
 * arrival order and nothing is dropped. A change of the tenant's limits in config is applied on the next
 * reservation without losing the tokens already accrued.
 *
 * <p>The limit holds per worker JVM: exact on the DirectRunner and on a single Dataflow worker.
 */
public final class TenantRateLimiter {
  private static final TenantRateLimiter SHARED = new TenantRateLimiter();

  private record Limited(TenantConfig.Quota quota, Bucket bucket) {}

  private final Map<String, Limited> buckets = new ConcurrentHashMap<>();

  public static TenantRateLimiter shared() {
    return SHARED;
  }

  /** Takes one request from the tenant's bucket; the result is how long to wait before making it. */
  public Duration reserve(TenantConfig tenant) {
    Limited limited = buckets.compute(tenant.id(), (id, current) -> {
      if (current == null) {
        return new Limited(tenant.quota(), Bucket.builder().addLimit(bandwidth(tenant.quota())).build());
      }
      if (!sameRate(current.quota(), tenant.quota())) {
        current.bucket().replaceConfiguration(
            BucketConfiguration.builder().addLimit(bandwidth(tenant.quota())).build(),
            TokensInheritanceStrategy.PROPORTIONALLY);
        return new Limited(tenant.quota(), current.bucket());
      }
      return current;
    });
    return Duration.ofNanos(limited.bucket().consumeIgnoringRateLimits(1));
  }

  private static boolean sameRate(TenantConfig.Quota a, TenantConfig.Quota b) {
    return a.requestsPerMinute() == b.requestsPerMinute() && a.burst() == b.burst();
  }

  private static Bandwidth bandwidth(TenantConfig.Quota quota) {
    return Bandwidth.builder()
        .capacity(quota.burst())
        .refillGreedy(quota.requestsPerMinute(), Duration.ofMinutes(1))
        .initialTokens(quota.burst())
        .build();
  }
}
