package dev.parley.pipeline;

import java.io.PrintStream;
import java.util.Locale;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricQueryResults;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.joda.time.Duration;

/**
 * A backfill's progress: counters in namespace {@code parley.Backfill} (matched, skipped, queued) next to the
 * job's {@code parley.Calls} (transcribed, dead_lettered), and a line every interval while the job runs:
 * {@code backfill: matched=1200 skipped=300 done=450 (62.5%)}, where done counts calls stored or dead-lettered.
 */
final class BackfillProgress {
  static final String NAMESPACE = "parley.Backfill";

  private BackfillProgress() {}

  /** Waits for the job, printing progress every {@code interval}; returns its final state. */
  static PipelineResult.State runAndReport(PipelineResult result, Duration interval, PrintStream out) {
    PipelineResult.State state;
    do {
      state = result.waitUntilFinish(interval);
      out.println(line(result.metrics().queryMetrics(MetricsFilter.builder().build())));
    } while (state == null || !state.isTerminal());
    return state;
  }

  static String line(MetricQueryResults metrics) {
    long matched = sum(metrics, NAMESPACE, "matched");
    long skipped = sum(metrics, NAMESPACE, "skipped");
    long done = sum(metrics, ParleyGraph.CALLS, "transcribed") + sum(metrics, ParleyGraph.CALLS, "dead_lettered");
    double percent = matched == 0 ? 100 : Math.min(100, 100.0 * (skipped + done) / matched);
    return String.format(Locale.ROOT, "backfill: matched=%d skipped=%d done=%d (%.1f%%)", matched, skipped, done, percent);
  }

  private static long sum(MetricQueryResults metrics, String namespace, String name) {
    long total = 0;
    for (MetricResult<Long> counter : metrics.getCounters()) {
      if (counter.getName().getNamespace().equals(namespace) && counter.getName().getName().equals(name)) {
        total += counter.getAttempted();
      }
    }
    return total;
  }

}
