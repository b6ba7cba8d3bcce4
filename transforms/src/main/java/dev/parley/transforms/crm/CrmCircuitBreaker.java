package dev.parley.transforms.crm;

import dev.parley.model.ErrorCode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per-endpoint circuit breakers, shared by the worker's DoFn instances. After {@code threshold} calls in a row
 * failed as unavailable, an endpoint is left alone for {@code cooldown}: its calls go to the dead letters at once
 * ({@code CRM_CIRCUIT_OPEN}) instead of each waiting out its retries, and then one call probes it again. A CRM
 * that says its daily allowance is spent, or a webhook that is gone (410), blocks its endpoint the same way,
 * for as long as it said, under its own error code.
 */
public final class CrmCircuitBreaker {
  private static final CrmCircuitBreaker SHARED = new CrmCircuitBreaker(Clock.systemUTC());

  /** Why and until when an endpoint is not called. */
  public record Open(ErrorCode code, String reason, Instant until) {}

  private final Clock clock;
  private final Map<String, Integer> consecutiveFailures = new ConcurrentHashMap<>();
  private final Map<String, Open> open = new ConcurrentHashMap<>();

  CrmCircuitBreaker(Clock clock) {
    this.clock = clock;
  }

  public static CrmCircuitBreaker shared() {
    return SHARED;
  }

  /** The reason not to call {@code endpoint} now, if there is one. */
  public Optional<Open> openFor(String endpoint) {
    Open state = open.get(endpoint);
    if (state == null || !clock.instant().isBefore(state.until())) {
      return Optional.empty();
    }
    return Optional.of(state);
  }

  public void succeeded(String endpoint) {
    consecutiveFailures.remove(endpoint);
    open.remove(endpoint);
  }

  /** Counts a call that failed as unavailable; opens the breaker at the threshold (again at once after a probe). */
  public void failed(String endpoint, int threshold, Duration cooldown) {
    int failures = consecutiveFailures.merge(endpoint, 1, Integer::sum);
    if (failures >= threshold) {
      block(endpoint, ErrorCode.CRM_CIRCUIT_OPEN, failures + " calls in a row found the tenant's CRM unavailable",
          clock.instant().plus(cooldown));
    }
  }

  public void block(String endpoint, ErrorCode code, String reason, Instant until) {
    open.put(endpoint, new Open(code, reason, until));
  }
}
