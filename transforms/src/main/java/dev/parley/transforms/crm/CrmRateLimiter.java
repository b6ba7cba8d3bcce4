package dev.parley.transforms.crm;

import java.time.Duration;

/**
 * Paces the requests made to one CRM account. Kept behind this interface so that the in-process buckets
 * ({@link LocalCrmRateLimiter}, exact per worker) can be replaced by the project's distributed quota without
 * touching the clients.
 */
public interface CrmRateLimiter {
  /** Takes one request from the bucket {@code key} limited to {@code rate}; returns how long to wait first. */
  Duration reserve(String key, RequestRate rate);
}
