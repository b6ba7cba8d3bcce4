package dev.parley.transforms.crm;

import dev.parley.transforms.metrics.StageMetrics;
import java.io.Serializable;
import java.time.Duration;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.util.Sleeper;

/**
 * Every wait of the CRM stage: through Beam's {@link Sleeper}, counted per tenant and on Beam's
 * {@code throttling-msecs}, so that Dataflow does not add workers to a step that is waiting on a CRM's limit.
 */
final class ThrottledWaits implements Serializable {
  private final StageMetrics metrics;
  private final Counter throttled = Metrics.counter(Metrics.THROTTLE_TIME_NAMESPACE, Metrics.THROTTLE_TIME_COUNTER_NAME);

  ThrottledWaits(StageMetrics metrics) {
    this.metrics = metrics;
  }

  void waitFor(Duration wait, String tenantId, String reason) throws InterruptedException {
    long millis = wait.toMillis();
    if (millis <= 0) {
      return;
    }
    throttled.inc(millis);
    metrics.incTenant(reason + "_wait_ms", tenantId, millis);
    Sleeper.DEFAULT.sleep(millis);
  }
}
