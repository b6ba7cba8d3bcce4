package dev.parley.transforms.metrics;

import java.io.Serializable;
import java.time.Duration;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.util.Sleeper;

/**
 * The waits of a stage that calls a rate-limited service: through Beam's {@link Sleeper}, counted per tenant as
 * {@code <reason>_wait_ms} and on Beam's {@code throttling-msecs}, so that Dataflow does not add workers to a
 * step that is waiting on a limit.
 */
public final class ThrottledWaits implements Serializable {
  private final StageMetrics metrics;
  private final Counter throttled = Metrics.counter(Metrics.THROTTLE_TIME_NAMESPACE, Metrics.THROTTLE_TIME_COUNTER_NAME);

  public ThrottledWaits(StageMetrics metrics) {
    this.metrics = metrics;
  }

  public void waitFor(Duration wait, String tenantId, String reason) throws InterruptedException {
    waitFor(wait.toMillis(), tenantId, reason);
  }

  public void waitFor(long millis, String tenantId, String reason) throws InterruptedException {
    if (millis <= 0) {
      return;
    }
    throttled.inc(millis);
    metrics.incTenant(reason + "_wait_ms", tenantId, millis);
    Sleeper.DEFAULT.sleep(millis);
  }
}
