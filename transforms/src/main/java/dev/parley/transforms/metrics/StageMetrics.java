package dev.parley.transforms.metrics;

import java.io.Serializable;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Distribution;
import org.apache.beam.sdk.metrics.Metrics;

/**
 * Beam metrics of one stage, in namespace {@code parley.<stage>}. Per-tenant series are separate counters named
 * {@code <metric>/<tenantId>} (Beam metrics have no labels), next to the stage-wide {@code <metric>}.
 */
public final class StageMetrics implements Serializable {
  private final String namespace;
  private transient Map<String, Counter> counters;

  public StageMetrics(String stage) {
    this.namespace = "parley." + stage;
  }

  public String namespace() {
    return namespace;
  }

  public void inc(String metric) {
    inc(metric, 1);
  }

  public void inc(String metric, long n) {
    counter(metric).inc(n);
  }

  /** Increments both the stage-wide and the tenant's series of {@code metric}. */
  public void incTenant(String metric, String tenantId, long n) {
    counter(metric).inc(n);
    if (tenantId != null) {
      counter(metric + "/" + tenantId).inc(n);
    }
  }

  public Distribution distribution(String metric) {
    return Metrics.distribution(namespace, metric);
  }

  private Counter counter(String name) {
    if (counters == null) {
      counters = new ConcurrentHashMap<>();
    }
    return counters.computeIfAbsent(name, n -> Metrics.counter(namespace, n));
  }
}
