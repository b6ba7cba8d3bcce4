package dev.parley.transforms.ratelimit;

import java.time.Duration;

/**
 * Paces the requests made to one account of a rate-limited service (a tenant's CRM, its Calendar API use). Kept
 * behind this interface so that the in-process buckets ({@link LocalRateLimiter}, exact per worker) can be replaced
 * by the project's distributed quota without touching the clients.
 */
public interface RateLimiter {
  /** Takes one request from the bucket {@code key} limited to {@code rate}; returns how long to wait first. */
  Duration reserve(String key, RequestRate rate);
}
