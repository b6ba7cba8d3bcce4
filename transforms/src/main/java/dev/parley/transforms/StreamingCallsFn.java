package dev.parley.transforms;

import dev.parley.model.ErrorCode;
import dev.parley.model.ProbedAudio;
import dev.parley.tenant.TenantConfig;
import dev.parley.tenant.TenantRegistry;
import dev.parley.transforms.admission.QuotaHolder;
import dev.parley.transforms.admission.Ticket;
import dev.parley.transforms.deadletter.DeadLetters;
import dev.parley.transforms.deadletter.PayloadEncoder;
import dev.parley.transforms.metrics.StageMetrics;
import dev.parley.transforms.transcribe.CallOutcome;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.state.BagState;
import org.apache.beam.sdk.state.StateSpec;
import org.apache.beam.sdk.state.StateSpecs;
import org.apache.beam.sdk.state.TimeDomain;
import org.apache.beam.sdk.state.Timer;
import org.apache.beam.sdk.state.TimerSpec;
import org.apache.beam.sdk.state.TimerSpecs;
import org.apache.beam.sdk.values.KV;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * The streaming form of Transcribe's calling step, keyed by (tenant, shard): a tenant's backlog waits in Beam
 * state, never on a thread. A processing-time timer admits what the quota allows now, starts those calls
 * asynchronously, and emits each outcome when it is done; only then does the call leave state, so a worker
 * lost mid-call loses nothing (the call is made again, and the sinks are idempotent). No tenant can hold
 * threads the others need, however far over its quota it is.
 */
final class StreamingCallsFn extends TranscribeFnBase<KV<String, ProbedAudio>> {
  /** Calls of one key in line for admission at once: enough to keep the key busy, few enough to stay fair. */
  static final int MAX_IN_LINE_PER_KEY = 16;
  private static final Duration POLL_IN_FLIGHT = Duration.millis(50);
  private static final Duration MAX_POLL = Duration.standardSeconds(1);

  /** Calls of this worker between admission and outcome, by call id. */
  private static final Map<String, Started> STARTED = new ConcurrentHashMap<>();

  private static final class Started {
    final Ticket ticket;
    final TenantConfig tenant;
    volatile CompletableFuture<CallOutcome> outcome;

    Started(Ticket ticket, TenantConfig tenant) {
      this.ticket = ticket;
      this.tenant = tenant;
    }
  }

  @StateId("backlog")
  private final StateSpec<BagState<ProbedAudio>> backlogSpec;

  @TimerId("tick")
  private final TimerSpec tickSpec = TimerSpecs.timer(TimeDomain.PROCESSING_TIME);

  StreamingCallsFn(Transcribe spec, PayloadEncoder<ProbedAudio> encoder, Coder<ProbedAudio> callCoder) {
    super(spec, encoder);
    this.backlogSpec = StateSpecs.bag(callCoder);
  }

  @ProcessElement
  public void process(@Element KV<String, ProbedAudio> call, @Timestamp Instant timestamp,
      @StateId("backlog") BagState<ProbedAudio> backlog, @TimerId("tick") Timer tick) {
    backlog.add(call.getValue());
    // The tick's output timestamp holds the watermark until it fires; outcomes take that timestamp, at or after
    // their call's own, so none of them is late downstream.
    tick.withOutputTimestamp(timestamp).offset(Duration.ZERO).setRelative();
  }

  @OnTimer("tick")
  public void onTick(@StateId("backlog") BagState<ProbedAudio> backlog, @TimerId("tick") Timer tick,
      @Timestamp Instant timestamp, MultiOutputReceiver out) {
    TenantRegistry config = registry.current();
    List<ProbedAudio> waiting = new ArrayList<>();
    int inLine = 0;
    long nextPollNanos = Long.MAX_VALUE;
    boolean changed = false;
    for (ProbedAudio call : backlog.read()) {
      String callId = call.getArrival().getCallId();
      Started started = STARTED.get(callId);
      if (started == null) {
        if (inLine >= MAX_IN_LINE_PER_KEY) {
          waiting.add(call);
          continue;
        }
        Optional<TenantConfig> tenant = config.find(call.getArrival().getTenantId());
        if (tenant.isEmpty()) {
          emit(out, runner.failed(call, ErrorCode.TENANT_UNKNOWN, "tenant left the config while the call was waiting",
              0, new StageMetrics.Deltas()));
          changed = true;
          continue;
        }
        started = new Started(runner.enqueue(tenant.get(), config, call), tenant.get());
        STARTED.put(callId, started);
      }
      if (started.outcome == null) {
        inLine++;
        long wait = admission.poll(QuotaHolder.of(started.tenant).key(), started.ticket);
        if (wait == 0) {
          Started admitted = started;
          Optional<CompletableFuture<CallOutcome>> running = executor.trySubmit(() -> runner.run(call, admitted.tenant,
              config, engine(admitted.tenant), admitted.ticket, admitted.ticket.waitedNanos()));
          if (running.isPresent()) {
            started.outcome = running.get();
          }
          wait = POLL_IN_FLIGHT.getMillis() * 1_000_000;
        }
        nextPollNanos = Math.min(nextPollNanos, wait);
        waiting.add(call);
      } else if (started.outcome.isDone()) {
        STARTED.remove(callId);
        emit(out, started.outcome.join());
        changed = true;
      } else {
        nextPollNanos = Math.min(nextPollNanos, POLL_IN_FLIGHT.getMillis() * 1_000_000);
        waiting.add(call);
      }
    }
    if (changed) {
      backlog.clear();
      waiting.forEach(backlog::add);
    }
    if (!waiting.isEmpty()) {
      long millis = Math.max(1, Math.min(MAX_POLL.getMillis(), nextPollNanos / 1_000_000));
      tick.withOutputTimestamp(timestamp).offset(Duration.millis(millis)).setRelative();
    }
  }

  private void emit(MultiOutputReceiver out, CallOutcome outcome) {
    metrics.apply(outcome.metrics());
    if (outcome.record() != null) {
      out.get(Transcribe.TRANSCRIBED).output(outcome.record());
    } else {
      out.get(DeadLetters.TAG).output(outcome.letter());
    }
  }
}
