package dev.parley.transforms.crm;

import dev.parley.model.CallRecord;
import dev.parley.model.CrmSync;
import dev.parley.transforms.deadletter.PayloadEncoder;
import dev.parley.transforms.metrics.StageMetrics;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.state.BagState;
import org.apache.beam.sdk.state.StateSpec;
import org.apache.beam.sdk.state.StateSpecs;
import org.apache.beam.sdk.state.TimeDomain;
import org.apache.beam.sdk.state.Timer;
import org.apache.beam.sdk.state.TimerSpec;
import org.apache.beam.sdk.state.TimerSpecs;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.TimestampedValue;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * Streaming jobs only: holds, per tenant, the calls whose CRM push failed for a passing reason (the CRM down,
 * rate-limited, its breaker open) and pushes them again every {@code retryEvery}, so an outage of minutes delays
 * the CRM record instead of losing it to the dead letters. A call still not pushed after {@code maxHold} is
 * dead-lettered with its last reason. Held calls wait in Beam state, never on a thread.
 */
final class HoldForRetryFn extends DoFn<KV<String, CallRecord>, CrmSync> {
  private final WriteCallsToCrm spec;
  private final CrmOutcomes outcomes;
  private final StageMetrics metrics = new StageMetrics(WriteCallsToCrm.STAGE);
  private transient CrmPusher pusher;

  /** Each held call with the time it was first held. */
  @StateId("held")
  private final StateSpec<BagState<TimestampedValue<CallRecord>>> heldSpec;

  @TimerId("retry")
  private final TimerSpec retrySpec = TimerSpecs.timer(TimeDomain.PROCESSING_TIME);

  HoldForRetryFn(WriteCallsToCrm spec, PayloadEncoder<CallRecord> encoder, Coder<CallRecord> callCoder) {
    this.spec = spec;
    this.outcomes = new CrmOutcomes(encoder, metrics);
    this.heldSpec = StateSpecs.bag(TimestampedValue.TimestampedValueCoder.of(callCoder));
  }

  @Setup
  public void setup() throws Exception {
    pusher = new CrmPusher(spec, metrics);
  }

  @Teardown
  public void teardown() {
    if (pusher != null) {
      pusher.close();
    }
  }

  @ProcessElement
  public void process(@Element KV<String, CallRecord> call, @Timestamp Instant timestamp,
      @StateId("held") BagState<TimestampedValue<CallRecord>> held, @TimerId("retry") Timer retry) {
    held.add(TimestampedValue.of(call.getValue(), Instant.now()));
    retry.withOutputTimestamp(timestamp).offset(retryEvery()).setRelative();
  }

  @OnTimer("retry")
  public void onRetry(@StateId("held") BagState<TimestampedValue<CallRecord>> held, @TimerId("retry") Timer retry,
      @Timestamp Instant timestamp, MultiOutputReceiver out) throws InterruptedException {
    List<TimestampedValue<CallRecord>> still = new ArrayList<>();
    for (TimestampedValue<CallRecord> entry : held.read()) {
      CallRecord call = entry.getValue();
      CrmPusher.Pushed pushed = pusher.push(call);
      boolean expired = Instant.now().isAfter(entry.getTimestamp().plus(maxHold()));
      if (pushed.failed() && pushed.passing() && !expired) {
        still.add(entry);
        continue;
      }
      if (pushed.failed() && expired) {
        pushed = new CrmPusher.Pushed(null, pushed.crm(), pushed.code(), pushed.message()
            + " (held " + maxHold().getStandardMinutes() + " minutes without success)", pushed.attempts(), false);
      }
      metrics.incTenant("released_from_hold", call.getTenantId(), 1);
      outcomes.emit(out, call, pushed);
    }
    held.clear();
    still.forEach(held::add);
    if (!still.isEmpty()) {
      retry.withOutputTimestamp(timestamp).offset(retryEvery()).setRelative();
    }
  }

  private Duration retryEvery() {
    return Duration.millis(spec.holdRetryEvery().toMillis());
  }

  private Duration maxHold() {
    return Duration.millis(spec.maxHold().toMillis());
  }

}
