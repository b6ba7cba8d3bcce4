package dev.parley.transforms;

import dev.parley.model.AudioArrival;
import dev.parley.transforms.metrics.StageMetrics;
import org.apache.beam.sdk.state.StateSpec;
import org.apache.beam.sdk.state.StateSpecs;
import org.apache.beam.sdk.state.TimeDomain;
import org.apache.beam.sdk.state.Timer;
import org.apache.beam.sdk.state.TimerSpec;
import org.apache.beam.sdk.state.TimerSpecs;
import org.apache.beam.sdk.state.ValueState;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Duration;

/**
 * Lets the first arrival of each call id through and drops the rest: Pub/Sub redelivery, the same object seen
 * by notification and by polling, an event sent twice. Keyed by call id, so it costs one tiny state cell per
 * call, spread evenly over workers; the cell expires after {@code window} so state stays bounded in a job
 * that runs for months. Repeats later than that are caught by the idempotent sinks. A replay of a dead letter is
 * keyed by the call id and the dead letter ({@link AudioArrival#processingKey}): it is let through once although
 * the call was seen.
 */
public final class Dedupe extends PTransform<PCollection<AudioArrival>, PCollection<AudioArrival>> {
  static final String STAGE = "Dedupe";
  /** Longer than Pub/Sub's 7-day retention would be wasteful; redeliveries come within minutes. */
  public static final Duration DEFAULT_WINDOW = Duration.standardHours(24);

  private final Duration window;

  private Dedupe(Duration window) {
    this.window = window;
  }

  public static Dedupe byCallId() {
    return new Dedupe(DEFAULT_WINDOW);
  }

  public Dedupe withWindow(Duration window) {
    return new Dedupe(window);
  }

  @Override
  public PCollection<AudioArrival> expand(PCollection<AudioArrival> arrivals) {
    return arrivals
        .apply("KeyByCallId", WithKeys.of(AudioArrival::processingKey).withKeyType(TypeDescriptors.strings()))
        .apply("FirstPerCallId", ParDo.of(new FirstFn(window)))
        .setCoder(arrivals.getCoder());
  }

  static final class FirstFn extends DoFn<KV<String, AudioArrival>, AudioArrival> {
    private final Duration window;
    private final StageMetrics metrics = new StageMetrics(STAGE);

    @StateId("seen")
    private final StateSpec<ValueState<Boolean>> seenSpec = StateSpecs.value();

    @TimerId("expire")
    private final TimerSpec expireSpec = TimerSpecs.timer(TimeDomain.PROCESSING_TIME);

    FirstFn(Duration window) {
      this.window = window;
    }

    @ProcessElement
    public void process(
        @Element KV<String, AudioArrival> element,
        @StateId("seen") ValueState<Boolean> seen,
        @TimerId("expire") Timer expire,
        OutputReceiver<AudioArrival> out) {
      AudioArrival arrival = element.getValue();
      if (Boolean.TRUE.equals(seen.read())) {
        metrics.incTenant("duplicates_dropped", arrival.getTenantId(), 1);
        return;
      }
      seen.write(true);
      expire.offset(window).setRelative();
      out.output(arrival);
    }

    @OnTimer("expire")
    public void onExpire(@StateId("seen") ValueState<Boolean> seen) {
      seen.clear();
    }
  }
}
