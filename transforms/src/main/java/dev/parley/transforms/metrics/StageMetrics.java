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

  /**
   * Increments gathered off the bundle thread (where Beam has no metrics container) and applied on it later
   * with {@link #apply}.
   */
  public static final class Deltas {
    private final Map<String, Long> stage = new java.util.LinkedHashMap<>();
    private final Map<String, Long> throttling = new java.util.LinkedHashMap<>();
    private final java.util.List<Map.Entry<String, Long>> samples = new java.util.ArrayList<>();

    public void incTenant(String metric, String tenantId, long n) {
      stage.merge(metric, n, Long::sum);
      if (tenantId != null) {
        stage.merge(metric + "/" + tenantId, n, Long::sum);
      }
    }

    /** A sample of the stage-wide and the tenant's distribution of {@code metric}. */
    public void distribution(String metric, String tenantId, long value) {
      samples.add(Map.entry(metric, value));
      if (tenantId != null) {
        samples.add(Map.entry(metric + "/" + tenantId, value));
      }
    }

    /** Time spent waiting because of limits: goes on Beam's throttling-msecs as well. */
    public void throttled(String metric, String tenantId, long millis) {
      incTenant(metric, tenantId, millis);
      throttling.merge(Metrics.THROTTLE_TIME_COUNTER_NAME, millis, Long::sum);
    }
  }

  public void apply(Deltas deltas) {
    deltas.stage.forEach((name, n) -> counter(name).inc(n));
    deltas.throttling.forEach((name, n) -> Metrics.counter(Metrics.THROTTLE_TIME_NAMESPACE, name).inc(n));
    deltas.samples.forEach(sample -> distribution(sample.getKey()).update(sample.getValue()));
  }

  private Counter counter(String name) {
    if (counters == null) {
      counters = new ConcurrentHashMap<>();
    }
    return counters.computeIfAbsent(name, n -> Metrics.counter(namespace, n));
  }
}
