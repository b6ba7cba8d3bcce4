package dev.parley.transforms.crm;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * How long one call may spend on its CRM push, waits included, and how many requests it made. Bounding every
 * call is what keeps a slow or throttling CRM from holding the worker threads other tenants need.
 */
public final class CallBudget {
  private final Clock clock;
  private final Instant deadline;
  private int requests;

  CallBudget(Clock clock, Duration budget) {
    this.clock = clock;
    this.deadline = clock.instant().plus(budget);
  }

  public Duration remaining() {
    Duration left = Duration.between(clock.instant(), deadline);
    return left.isNegative() ? Duration.ZERO : left;
  }

  /** Whether waiting {@code wait} still leaves time for a request. */
  public boolean allows(Duration wait) {
    return wait.compareTo(remaining()) < 0;
  }

  void countRequest() {
    requests++;
  }

  public int requests() {
    return requests;
  }
}
