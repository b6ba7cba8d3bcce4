package dev.parley.transforms;

import com.google.auto.value.AutoValue;
import dev.parley.model.CallRecord;
import dev.parley.model.DeadLetter;
import dev.parley.model.ErrorCode;
import dev.parley.model.ProbedAudio;
import dev.parley.tenant.TenantConfig;
import dev.parley.tenant.TenantConfigSpec;
import dev.parley.tenant.TenantRegistry;
import dev.parley.transforms.admission.AdmissionBackend;
import dev.parley.transforms.admission.AdmissionControl;
import dev.parley.transforms.admission.QuotaHolder;
import dev.parley.transforms.admission.Ticket;
import dev.parley.transforms.batch.GeminiBatchMode;
import dev.parley.transforms.batch.TranscribeInBatch;
import dev.parley.transforms.deadletter.DeadLetters;
import dev.parley.transforms.deadletter.PayloadEncoder;
import dev.parley.transforms.metrics.StageMetrics;
import dev.parley.transforms.transcribe.CallExecutor;
import dev.parley.transforms.transcribe.CallOutcome;
import dev.parley.transforms.transcribe.CallRunner;
import dev.parley.transforms.transcribe.ModelEndpoints;
import dev.parley.transforms.transcribe.TranscriptionEngine;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.GroupIntoBatches;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.WithFailures;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.util.ShardedKey;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Duration;

/**
 * Admits and transcribes each call, and turns the result into the {@link CallRecord} the sinks write.
 *
 * <p>Admission happens in the same step that calls the model, right before each attempt: on a runner that runs
 * shuffle-separated stages one after another (batch Dataflow), pacing in an earlier step would not pace the
 * calls. Calls are grouped per tenant into batches ({@link GroupIntoBatches} with sharded keys, so a hot tenant is
 * spread over many keys and workers rather than serialised behind one), and each batch's calls run at once off
 * the bundle thread ({@link CallExecutor}), up to {@code maxCallsInFlight} per worker: a model call is seconds of
 * waiting, and a runner gives a worker only a few bundle threads.
 *
 * <p>Admission ({@link AdmissionControl}) keeps each tenant within its own quota and the Google project within the
 * real Gemini quota, shared by weight among the tenants with work. Each attempt is one SDK call
 * ({@link CallRunner}): retryable failures wait as the service asked (RetryInfo) or back off with jitter, client-side
 * adaptive throttling keeps a struggling service from being hammered, and all waiting is reported on Beam's
 * {@code throttling-msecs} so that Dataflow does not add workers to a throttled step.
 */
@AutoValue
public abstract class Transcribe
    extends PTransform<PCollection<ProbedAudio>, WithFailures.Result<PCollection<CallRecord>, DeadLetter>> {
  static final String STAGE = "Transcribe";
  static final Duration MAX_BATCH_WAIT = Duration.standardSeconds(1);
  static final TupleTag<CallRecord> TRANSCRIBED = new TupleTag<>("transcribed") {};

  abstract TenantConfigSpec tenants();

  abstract ModelEndpoints endpoints();

  /** Attempts for 429, 5xx, timeouts and local throttling. */
  abstract int maxAttempts();

  /** Attempts when the answer is malformed: the first and one more. */
  abstract int maxInvalidAnswerAttempts();

  abstract Duration initialBackoff();

  abstract Duration maxBackoff();

  /** Per-request timeout before the audio's share (half a second per second of audio) is added. */
  abstract Duration baseRequestTimeout();

  /** Model calls in flight at once per worker JVM. */
  abstract int maxCallsInFlight();

  /** Batch runs: calls handed to one DoFn invocation, admitted and made together. */
  abstract int batchSize();

  /** Streaming runs: keys per tenant, so a busy tenant's backlog is spread over workers. */
  abstract int shardsPerTenant();

  /** Where admission is decided: this JVM (the default), Redis for every worker, or nowhere (a benchmark's baseline). */
  abstract AdmissionBackend admission();

  /** Batch runs only: Gemini API calls go through the Batch API ({@link TranscribeInBatch}); null: online. */
  abstract @Nullable GeminiBatchMode batchMode();

  abstract Builder toBuilder();

  public static Transcribe using(TenantConfigSpec tenants, ModelEndpoints endpoints) {
    return new AutoValue_Transcribe.Builder()
        .tenants(tenants)
        .endpoints(endpoints)
        .maxAttempts(6)
        .maxInvalidAnswerAttempts(2)
        .initialBackoff(Duration.standardSeconds(2))
        .maxBackoff(Duration.standardMinutes(2))
        .baseRequestTimeout(Duration.standardMinutes(1))
        .maxCallsInFlight(64)
        .batchSize(32)
        .shardsPerTenant(8)
        .admission(AdmissionBackend.local())
        .build();
  }

  public Transcribe withMaxAttempts(int attempts) {
    return toBuilder().maxAttempts(attempts).build();
  }

  /** Of the attempts, how many may get an invalid answer (each is paid for) before the call is dead-lettered. */
  public Transcribe withMaxInvalidAnswers(int attempts) {
    return toBuilder().maxInvalidAnswerAttempts(attempts).build();
  }

  /** Backoff between attempts when the service named no delay. */
  public Transcribe withBackoff(Duration initial, Duration max) {
    return toBuilder().initialBackoff(initial).maxBackoff(max).build();
  }

  /** The time each model request may take: {@code base}, plus half a second per second of audio. */
  public Transcribe withRequestTimeout(Duration base) {
    return toBuilder().baseRequestTimeout(base).build();
  }

  /** No admission control: the baseline of {@code ./parley bench quota}, never a production setting. */
  public Transcribe withoutAdmission() {
    return toBuilder().admission(AdmissionBackend.none()).build();
  }

  /** Admission through {@code backend}: {@link AdmissionBackend#redis} holds the limits across every worker. */
  public Transcribe withAdmission(AdmissionBackend backend) {
    return toBuilder().admission(backend).build();
  }

  /**
   * In batch runs, sends the calls of Gemini API tenants through the Gemini Batch API (half the price, answers
   * within 24 hours) instead of online requests; other tenants' calls stay online. Streaming runs ignore it.
   */
  public Transcribe withBatchMode(GeminiBatchMode mode) {
    return toBuilder().batchMode(mode).build();
  }

  public Transcribe withMaxCallsInFlight(int calls) {
    return toBuilder().maxCallsInFlight(calls).batchSize(Math.min(batchSize(), calls)).build();
  }

  @AutoValue.Builder
  abstract static class Builder {
    abstract Builder tenants(TenantConfigSpec value);

    abstract Builder endpoints(ModelEndpoints value);

    abstract Builder maxAttempts(int value);

    abstract Builder maxInvalidAnswerAttempts(int value);

    abstract Builder initialBackoff(Duration value);

    abstract Builder maxBackoff(Duration value);

    abstract Builder baseRequestTimeout(Duration value);

    abstract Builder maxCallsInFlight(int value);

    abstract Builder batchSize(int value);

    abstract Builder shardsPerTenant(int value);

    abstract Builder admission(AdmissionBackend value);

    abstract Builder batchMode(@Nullable GeminiBatchMode value);

    abstract Transcribe build();
  }

  @Override
  public WithFailures.Result<PCollection<CallRecord>, DeadLetter> expand(PCollection<ProbedAudio> calls) {
    PayloadEncoder<ProbedAudio> encoder = PayloadEncoder.of(calls);
    PCollectionTuple out;
    if (calls.isBounded() == PCollection.IsBounded.UNBOUNDED) {
      out = calls
          .apply("KeyByTenantShard", WithKeys.of((ProbedAudio c) -> c.getArrival().getTenantId() + "#"
                  + Math.floorMod(c.getArrival().getCallId().hashCode(), shardsPerTenant()))
              .withKeyType(TypeDescriptors.strings()))
          .setCoder(KvCoder.of(StringUtf8Coder.of(), calls.getCoder()))
          .apply("AdmitAndCall", ParDo.of(new StreamingCallsFn(this, encoder, calls.getCoder()))
              .withOutputTags(TRANSCRIBED, TupleTagList.of(DeadLetters.TAG)));
    } else if (batchMode() != null) {
      return throughBatchApi(calls, encoder);
    } else {
      out = online(calls, encoder);
    }
    return WithFailures.Result.of(out, TRANSCRIBED, DeadLetters.TAG);
  }

  private PCollectionTuple online(PCollection<ProbedAudio> calls, PayloadEncoder<ProbedAudio> encoder) {
    return calls
        .apply("KeyByTenant", WithKeys.of((ProbedAudio c) -> c.getArrival().getTenantId())
            .withKeyType(TypeDescriptors.strings()))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), calls.getCoder()))
        .apply("BatchPerTenant", GroupIntoBatches.<String, ProbedAudio>ofSize(batchSize())
            .withMaxBufferingDuration(MAX_BATCH_WAIT)
            .withShardedKey())
        .apply("AdmitAndCall", ParDo.of(new BatchCallsFn(this, encoder))
            .withOutputTags(TRANSCRIBED, TupleTagList.of(DeadLetters.TAG)));
  }

  /** Gemini API tenants' calls through the Batch API, the others (Vertex AI, Speech-to-Text) online. */
  private WithFailures.Result<PCollection<CallRecord>, DeadLetter> throughBatchApi(PCollection<ProbedAudio> calls,
      PayloadEncoder<ProbedAudio> encoder) {
    PCollectionTuple routed = calls.apply("RouteToBatchApi", ParDo.of(new RouteToBatchApiFn(tenants()))
        .withOutputTags(RouteToBatchApiFn.BATCH_API, TupleTagList.of(RouteToBatchApiFn.ONLINE)));
    PCollectionTuple online = online(routed.get(RouteToBatchApiFn.ONLINE).setCoder(calls.getCoder()), encoder);
    WithFailures.Result<PCollection<CallRecord>, DeadLetter> batched = routed.get(RouteToBatchApiFn.BATCH_API)
        .setCoder(calls.getCoder())
        .apply("BatchApi", TranscribeInBatch.using(tenants(), endpoints(), batchMode()));
    PCollection<CallRecord> records = PCollectionList.of(online.get(TRANSCRIBED)).and(batched.output())
        .apply("AllTranscribed", Flatten.pCollections());
    PCollection<DeadLetter> failures = PCollectionList.of(online.get(DeadLetters.TAG)).and(batched.failures())
        .apply("AllDeadLetters", Flatten.pCollections());
    return WithFailures.Result.of(records, failures);
  }

  /**
   * Per-request timeout scaled to the audio: Gemini's processing time grows with the recording. At most twenty
   * minutes, so a stuck request cannot hold a slot indefinitely.
   */
  java.time.Duration timeoutFor(long audioMillis) {
    long millis = baseRequestTimeout().getMillis() + audioMillis / 2;
    return java.time.Duration.ofMillis(Math.min(millis, 20 * 60_000));
  }

  /** Batch form of the calling step: a batch's calls are admitted (waiting here) and made at once. */
  static final class BatchCallsFn extends TranscribeFnBase<KV<ShardedKey<String>, Iterable<ProbedAudio>>> {
    BatchCallsFn(Transcribe spec, PayloadEncoder<ProbedAudio> encoder) {
      super(spec, encoder);
    }

    /**
     * Puts every call of the batch in line for admission, then starts each as it is admitted. A call takes a slot
     * of the worker's executor only once admitted, so a tenant over its quota never crowds out the others.
     */
    @ProcessElement
    public void process(@Element KV<ShardedKey<String>, Iterable<ProbedAudio>> batch, MultiOutputReceiver out)
        throws InterruptedException {
      TenantRegistry config = registry.current();
      List<CompletableFuture<CallOutcome>> outcomes = new ArrayList<>();
      List<Admitting> admitting = new ArrayList<>();
      for (ProbedAudio call : batch.getValue()) {
        Optional<TenantConfig> tenant = config.find(call.getArrival().getTenantId());
        if (tenant.isEmpty()) {
          outcomes.add(CompletableFuture.completedFuture(runner.failed(call, ErrorCode.TENANT_UNKNOWN,
              "tenant left the config while the call was in flight", 0, new StageMetrics.Deltas())));
        } else {
          admitting.add(new Admitting(call, tenant.get(), runner.enqueue(tenant.get(), config, call)));
        }
      }
      int started = 0;
      try {
        for (Admitting next : admitting) {
          long waited = admission.await(QuotaHolder.of(next.tenant()).key(), next.ticket());
          TranscriptionEngine engine = engine(next.tenant());
          outcomes.add(executor.submit(() -> runner.run(next.call(), next.tenant(), config, engine, next.ticket(), waited)));
          started++;
        }
      } catch (InterruptedException | RuntimeException e) {
        // The bundle fails and is retried with tickets of its own: these must neither stay in line nor hold slots.
        admitting.subList(started, admitting.size())
            .forEach(left -> admission.release(QuotaHolder.of(left.tenant()).key(), left.ticket()));
        throw e;
      }
      for (CompletableFuture<CallOutcome> future : outcomes) {
        CallOutcome outcome = future.join();
        metrics.apply(outcome.metrics());
        if (outcome.record() != null) {
          out.get(TRANSCRIBED).output(outcome.record());
        } else {
          out.get(DeadLetters.TAG).output(outcome.letter());
        }
      }
    }

    private record Admitting(ProbedAudio call, TenantConfig tenant, Ticket ticket) {}
  }
}
