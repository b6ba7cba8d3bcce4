package dev.parley.transforms.admission;

import dev.parley.tenant.TenantConfig;
import io.github.bucket4j.Bandwidth;
import java.time.Duration;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The size and refill of one token bucket, worked out once from the config so that the JVM-local scheduler
 * (Bucket4j) and the Redis scripts apply the same limits. Refill is greedy: tokens trickle in continuously.
 */
public record BucketShape(long capacity, long refillPerMinute) {
  /**
   * A bucket that cannot admit more than {@code perMinute} in any sliding minute: capacity C (two seconds of
   * rate, at least 2) and refill of {@code perMinute - C} per minute, so C plus one minute's refill never
   * exceeds the limit.
   */
  public static BucketShape windowSafe(long perMinute) {
    long capacity = Math.max(2, (perMinute + 29) / 30);
    return new BucketShape(capacity, Math.max(1, perMinute - capacity));
  }

  /** The tenant's requests: its burst at once, then its rate. */
  public static BucketShape tenantRequests(TenantConfig.Quota quota) {
    return new BucketShape(quota.burst(), quota.requestsPerMinute());
  }

  /**
   * The tenant's audio milliseconds, when it has an audio-seconds limit: the same burst, in time, as its request
   * bucket (burst/rpm of a minute's audio), at least a second.
   */
  public static @Nullable BucketShape tenantAudio(TenantConfig.Quota quota) {
    Long perMinute = quota.audioSecondsPerMinute();
    if (perMinute == null) {
      return null;
    }
    long capacity = Math.max(1000, perMinute * 1000 * quota.burst() / Math.max(1, quota.requestsPerMinute()));
    return new BucketShape(capacity, perMinute * 1000);
  }

  /** This shape as a Bucket4j limit, starting full. */
  Bandwidth bandwidth() {
    return Bandwidth.builder().capacity(capacity).refillGreedy(refillPerMinute, Duration.ofMinutes(1))
        .initialTokens(capacity).build();
  }
}
