package dev.parley.transforms.ratelimit;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.TokensInheritanceStrategy;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Token buckets in this JVM (Bucket4j), one per key, shared by every DoFn instance of the worker. A changed rate
 * (tenant config reloaded) is applied on the next reservation, keeping the tokens already accrued.
 */
public final class LocalRateLimiter implements RateLimiter {
  private static final LocalRateLimiter SHARED = new LocalRateLimiter();

  private record Limited(RequestRate rate, Bucket bucket) {}

  private final Map<String, Limited> buckets = new ConcurrentHashMap<>();

  public static LocalRateLimiter shared() {
    return SHARED;
  }

  @Override
  public Duration reserve(String key, RequestRate rate) {
    Limited limited = buckets.compute(key, (k, current) -> {
      if (current == null) {
        return new Limited(rate, Bucket.builder().addLimit(bandwidth(rate)).build());
      }
      if (!current.rate().equals(rate)) {
        current.bucket().replaceConfiguration(BucketConfiguration.builder().addLimit(bandwidth(rate)).build(),
            TokensInheritanceStrategy.PROPORTIONALLY);
        return new Limited(rate, current.bucket());
      }
      return current;
    });
    return Duration.ofNanos(limited.bucket().consumeIgnoringRateLimits(1));
  }

  private static Bandwidth bandwidth(RequestRate rate) {
    return Bandwidth.builder()
        .capacity(rate.requests())
        .refillGreedy(rate.requests(), rate.period())
        .initialTokens(rate.requests())
        .build();
  }
}
