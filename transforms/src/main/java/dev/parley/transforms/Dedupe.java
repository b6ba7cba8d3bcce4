package dev.parley.transforms;

import dev.parley.model.AudioArrival;
import dev.parley.transforms.metrics.StageMetrics;
import org.apache.beam.sdk.io.fs.MatchResult;
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
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Duration;

/**
 * Lets the first element of each key through and drops the rest. {@link #byCallId}: Pub/Sub redelivery, the same
 * object seen by notification and by polling, a replayed event. {@link #byFileVersion}: a watched folder's
 * listings, which name every recent file again each time. Keyed, so it costs one tiny state cell per key, spread
 * evenly over workers; the cell expires after {@code window} so state stays bounded in a job that runs for
 * months. Repeats later than that are caught by the idempotent sinks. A replay of a dead letter is keyed by the
 * call id and the dead letter ({@link AudioArrival#processingKey}): it is let through once although the call was
 * seen.
 */
public final class Dedupe<T> extends PTransform<PCollection<T>, PCollection<T>> {
  static final String STAGE = "Dedupe";
  /** Longer than Pub/Sub's 7-day retention would be wasteful; redeliveries come within minutes. */
  public static final Duration DEFAULT_WINDOW = Duration.standardHours(24);

  private final SerializableFunction<T, String> key;
  private final SerializableFunction<T, @Nullable String> tenant;
  private final Duration window;

  private Dedupe(SerializableFunction<T, String> key, SerializableFunction<T, @Nullable String> tenant, Duration window) {
    this.key = key;
    this.tenant = tenant;
    this.window = window;
  }

  public static Dedupe<AudioArrival> byCallId() {
    return new Dedupe<>(AudioArrival::processingKey, AudioArrival::getTenantId, DEFAULT_WINDOW);
  }

  /** One element per file and modification time: a file rewritten later is a new version, and passes. */
  public static Dedupe<MatchResult.Metadata> byFileVersion() {
    return new Dedupe<>(m -> m.resourceId() + "@" + m.lastModifiedMillis(), m -> null, DEFAULT_WINDOW);
  }

  public Dedupe<T> withWindow(Duration window) {
    return new Dedupe<>(key, tenant, window);
  }

  @Override
  public PCollection<T> expand(PCollection<T> input) {
    return input
        .apply("Key", WithKeys.of(key).withKeyType(TypeDescriptors.strings()))
        .apply("FirstPerKey", ParDo.of(new FirstFn<>(tenant, window)))
        .setCoder(input.getCoder());
  }

  static final class FirstFn<T> extends DoFn<KV<String, T>, T> {
    private final SerializableFunction<T, @Nullable String> tenant;
    private final Duration window;
    private final StageMetrics metrics = new StageMetrics(STAGE);

    @StateId("seen")
    private final StateSpec<ValueState<Boolean>> seenSpec = StateSpecs.value();

    @TimerId("expire")
    private final TimerSpec expireSpec = TimerSpecs.timer(TimeDomain.PROCESSING_TIME);

    FirstFn(SerializableFunction<T, @Nullable String> tenant, Duration window) {
      this.tenant = tenant;
      this.window = window;
    }

    @ProcessElement
    public void process(
        @Element KV<String, T> element,
        @StateId("seen") ValueState<Boolean> seen,
        @TimerId("expire") Timer expire,
        OutputReceiver<T> out) {
      if (Boolean.TRUE.equals(seen.read())) {
        String owner = tenant.apply(element.getValue());
        if (owner != null) {
          metrics.incTenant("duplicates_dropped", owner, 1);
        } else {
          metrics.inc("duplicates_dropped");
        }
        return;
      }
      seen.write(true);
      expire.offset(window).setRelative();
      out.output(element.getValue());
    }

    @OnTimer("expire")
    public void onExpire(@StateId("seen") ValueState<Boolean> seen) {
      seen.clear();
    }
  }
}
