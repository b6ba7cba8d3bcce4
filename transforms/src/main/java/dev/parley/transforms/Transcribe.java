package dev.parley.transforms;

import com.google.auto.value.AutoValue;
import dev.parley.model.CallRecord;
import dev.parley.model.DeadLetter;
import dev.parley.model.ErrorCode;
import dev.parley.model.ProbedAudio;
import dev.parley.model.Transcript;
import dev.parley.tenant.ModelConfig;
import dev.parley.tenant.ReloadingTenantRegistry;
import dev.parley.tenant.SecretResolver;
import dev.parley.tenant.TenantConfig;
import dev.parley.tenant.TenantConfigSpec;
import dev.parley.tenant.TenantRegistry;
import dev.parley.transforms.admission.TenantRateLimiter;
import dev.parley.transforms.deadletter.DeadLetters;
import dev.parley.transforms.deadletter.PayloadEncoder;
import dev.parley.transforms.metrics.StageMetrics;
import dev.parley.transforms.transcribe.AdaptiveThrottler;
import dev.parley.transforms.transcribe.CallExecutor;
import dev.parley.transforms.transcribe.GeminiEngine;
import dev.parley.transforms.transcribe.ModelEndpoints;
import dev.parley.transforms.transcribe.PreparedCall;
import dev.parley.transforms.transcribe.SpeechToTextEngine;
import dev.parley.transforms.transcribe.TranscriptionEngine;
import dev.parley.transforms.transcribe.TranscriptionException;
import dev.parley.transforms.transcribe.TranscriptionRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.GroupIntoBatches;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.util.ShardedKey;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.apache.beam.sdk.transforms.WithFailures;
import org.apache.beam.sdk.util.BackOff;
import org.apache.beam.sdk.util.FluentBackoff;
import org.apache.beam.sdk.util.Sleeper;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
 * <p>Each attempt is one SDK call. Retryable failures (429, 5xx, timeouts, a malformed answer once) wait as the
 * service asked (RetryInfo) or back off with jitter; waiting time is reported on Beam's {@code throttling-msecs}
 * so that Dataflow does not add workers to a throttled step. Client-side adaptive throttling
 * ({@link AdaptiveThrottler}, per tenant and per Gemini project) keeps a struggling service from being hammered.
 */
@AutoValue
public abstract class Transcribe
    extends PTransform<PCollection<ProbedAudio>, WithFailures.Result<PCollection<CallRecord>, DeadLetter>> {
  static final String STAGE = "Transcribe";
  static final Duration MAX_BATCH_WAIT = Duration.standardSeconds(1);
  private static final TupleTag<CallRecord> TRANSCRIBED = new TupleTag<>("transcribed") {};

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

  /** Calls handed to one DoFn invocation; in streaming a batch waits at most {@link #MAX_BATCH_WAIT} to fill. */
  abstract int batchSize();

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
        .build();
  }

  public Transcribe withMaxAttempts(int attempts) {
    return toBuilder().maxAttempts(attempts).build();
  }

  /** Backoff between attempts when the service named no delay. */
  public Transcribe withBackoff(Duration initial, Duration max) {
    return toBuilder().initialBackoff(initial).maxBackoff(max).build();
  }

  /** The time each model request may take: {@code base}, plus half a second per second of audio. */
  public Transcribe withRequestTimeout(Duration base) {
    return toBuilder().baseRequestTimeout(base).build();
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

    abstract Transcribe build();
  }

  @Override
  public WithFailures.Result<PCollection<CallRecord>, DeadLetter> expand(PCollection<ProbedAudio> calls) {
    PCollectionTuple out = calls
        .apply("KeyByTenant", WithKeys.of((ProbedAudio c) -> c.getArrival().getTenantId())
            .withKeyType(TypeDescriptors.strings()))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), calls.getCoder()))
        .apply("BatchPerTenant", GroupIntoBatches.<String, ProbedAudio>ofSize(batchSize())
            .withMaxBufferingDuration(MAX_BATCH_WAIT)
            .withShardedKey())
        .apply("AdmitAndCall", ParDo.of(new TranscribeFn(this, PayloadEncoder.of(calls)))
            .withOutputTags(TRANSCRIBED, TupleTagList.of(DeadLetters.TAG)));
    return WithFailures.Result.of(out, TRANSCRIBED, DeadLetters.TAG);
  }

  /**
   * Per-request timeout scaled to the audio: Gemini's processing time grows with the recording. At most twenty
   * minutes, so a stuck request cannot hold a slot indefinitely.
   */
  java.time.Duration timeoutFor(long audioMillis) {
    long millis = baseRequestTimeout().getMillis() + audioMillis / 2;
    return java.time.Duration.ofMillis(Math.min(millis, 20 * 60_000));
  }

  /** What became of one call: a record or a dead letter, and the metrics gathered on the way. */
  private record Outcome(@Nullable CallRecord record, @Nullable DeadLetter letter, StageMetrics.Deltas metrics) {}

  static final class TranscribeFn extends DoFn<KV<ShardedKey<String>, Iterable<ProbedAudio>>, CallRecord> {
    private static final Logger LOG = LoggerFactory.getLogger(TranscribeFn.class);
    private final Transcribe spec;
    private final PayloadEncoder<ProbedAudio> encoder;
    private final StageMetrics metrics = new StageMetrics(STAGE);
    private transient ReloadingTenantRegistry registry;
    private transient SecretResolver secrets;
    private transient java.util.Map<String, TranscriptionEngine> engines;
    private transient TenantRateLimiter limiter;
    private transient CallExecutor executor;

    TranscribeFn(Transcribe spec, PayloadEncoder<ProbedAudio> encoder) {
      this.spec = spec;
      this.encoder = encoder;
    }

    @Setup
    public void setup() throws Exception {
      registry = spec.tenants().open();
      secrets = new SecretResolver();
      engines = java.util.Map.of(
          TenantConfig.Transcription.GEMINI, new GeminiEngine(spec.endpoints(), secrets),
          TenantConfig.Transcription.SPEECH_TO_TEXT, new SpeechToTextEngine(spec.endpoints()));
      limiter = TenantRateLimiter.shared();
      executor = CallExecutor.shared(spec.maxCallsInFlight());
    }

    /** Starts every call of the batch at once (up to the worker's limit), then emits each outcome. */
    @ProcessElement
    public void process(@Element KV<ShardedKey<String>, Iterable<ProbedAudio>> batch, MultiOutputReceiver out)
        throws InterruptedException {
      List<CompletableFuture<Outcome>> outcomes = new ArrayList<>();
      for (ProbedAudio call : batch.getValue()) {
        outcomes.add(executor.submit(() -> transcribe(call)));
      }
      for (CompletableFuture<Outcome> future : outcomes) {
        Outcome outcome = future.join();
        metrics.apply(outcome.metrics());
        if (outcome.record() != null) {
          out.get(TRANSCRIBED).output(outcome.record());
        } else {
          out.get(DeadLetters.TAG).output(outcome.letter());
        }
      }
    }

    @Teardown
    public void teardown() {
      if (engines != null) {
        engines.values().forEach(TranscriptionEngine::close);
      }
      if (secrets != null) {
        secrets.close();
      }
    }

    /** Runs on a {@link CallExecutor} thread: never throws, every failure becomes a dead letter. */
    private Outcome transcribe(ProbedAudio call) {
      StageMetrics.Deltas deltas = new StageMetrics.Deltas();
      String tenantId = call.getArrival().getTenantId();
      TenantRegistry config = registry.current();
      Optional<TenantConfig> tenant = config.find(tenantId);
      if (tenant.isEmpty()) {
        return failed(call, ErrorCode.TENANT_UNKNOWN, "tenant left the config while the call was in flight", 1, deltas);
      }
      TranscriptionRequest request = new TranscriptionRequest(
          tenant.get(), call, spec.timeoutFor(call.getAudio().getDurationMillis()));
      BackOff backoff = FluentBackoff.DEFAULT.withInitialBackoff(spec.initialBackoff()).withMaxBackoff(spec.maxBackoff())
          .backoff();
      TranscriptionEngine engine = engines.get(tenant.get().transcription().engine());
      AdaptiveThrottler tenantThrottler = AdaptiveThrottler.shared(spec.endpoints() + "/tenant/" + tenantId);
      AdaptiveThrottler projectThrottler = AdaptiveThrottler.shared(spec.endpoints() + "/project/" + projectOf(tenant.get()));
      int attempts = 0;
      int invalidAnswers = 0;
      PreparedCall prepared = null;
      try {
        while (true) {
          attempts++;
          wait(limiter.reserve(tenant.get()).toMillis(), tenantId, "admission_wait_ms", deltas);
          try {
            if (tenantThrottler.rejectLocally() | projectThrottler.rejectLocally()) {
              deltas.incTenant("locally_rejected", tenantId, 1);
              throw TranscriptionException.retryable(ErrorCode.MODEL_UNAVAILABLE, null,
                  "not sent: adaptive throttling, the service has been refusing most recent requests");
            }
            if (prepared == null) {
              prepared = engine.prepare(request);
            }
            Transcript transcript = prepared.attempt();
            tenantThrottler.accepted();
            projectThrottler.accepted();
            return transcribed(call, tenant.get(), transcript, prepared.audioSha256(), config, deltas);
          } catch (TranscriptionException e) {
            if (isAnsweredWithoutOverload(e.code())) {
              tenantThrottler.accepted();
              projectThrottler.accepted();
            }
            if (e.code() == ErrorCode.MODEL_RESPONSE_INVALID) {
              invalidAnswers++;
            }
            boolean exhausted = attempts >= spec.maxAttempts() || invalidAnswers >= spec.maxInvalidAnswerAttempts();
            if (!e.isRetryable() || exhausted) {
              return failed(call, e.code(), e.getMessage(), attempts, deltas);
            }
            long waitMillis = e.retryAfter() != null ? jitter(e.retryAfter().toMillis()) : nextBackoff(backoff);
            deltas.incTenant("retries", tenantId, 1);
            LOG.atInfo().addKeyValue("tenantId", tenantId).addKeyValue("callId", call.getArrival().getCallId())
                .addKeyValue("errorCode", e.code().name()).addKeyValue("attempt", attempts)
                .addKeyValue("waitMillis", waitMillis).log("model call failed, will retry");
            wait(waitMillis, tenantId, "retry_wait_ms", deltas);
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return failed(call, ErrorCode.INTERNAL, "interrupted while waiting to call the model", attempts, deltas);
      } catch (RuntimeException e) {
        LOG.atError().setCause(e).addKeyValue("tenantId", tenantId).addKeyValue("callId", call.getArrival().getCallId())
            .log("unexpected failure while transcribing");
        return failed(call, ErrorCode.INTERNAL, DeadLetters.describe(e), attempts, deltas);
      } finally {
        if (prepared != null) {
          prepared.close();
        }
      }
    }

    private Outcome transcribed(ProbedAudio call, TenantConfig tenant, Transcript transcript, @Nullable String sha256,
        TenantRegistry config, StageMetrics.Deltas deltas) {
      String tenantId = call.getArrival().getTenantId();
      String model = transcript.getModel().substring(transcript.getModel().indexOf('/') + 1);
      Double cost = config.model(model).map(ModelConfig::pricing).map(p -> p.estimateUsd(
          transcript.getInputTokens(), transcript.getOutputTokens(), call.getAudio().getDurationMillis())).orElse(null);
      deltas.incTenant("transcribed", tenantId, 1);
      deltas.incTenant("input_tokens", tenantId, transcript.getInputTokens());
      deltas.incTenant("output_tokens", tenantId, transcript.getOutputTokens());
      if (cost == null) {
        deltas.incTenant("unpriced_calls", tenantId, 1);
      } else {
        deltas.incTenant("cost_micro_usd", tenantId, Math.round(cost * 1_000_000));
      }
      return new Outcome(CallRecord.builder()
          .setTenantId(tenantId)
          .setCallId(call.getArrival().getCallId())
          .setSourceUri(call.getArrival().getSourceUri())
          .setObjectGeneration(call.getArrival().getObjectGeneration())
          .setMetadata(call.getArrival().getMetadata())
          .setAudio(call.getAudio())
          .setAudioSha256(sha256)
          .setTranscript(transcript)
          .setEngine(tenant.transcription().engine())
          .setStatus(CallRecord.STATUS_TRANSCRIBED)
          .setEstimatedCostUsd(cost)
          .setArrivedAt(call.getArrival().getEventTime())
          .setProcessedAt(Instant.now())
          .setPart(call.getPart()) // For StitchChunks: null unless PrepareAudio cut the call into parts.
          .build(), null, deltas);
    }

    private Outcome failed(ProbedAudio call, ErrorCode code, String message, int attempts, StageMetrics.Deltas deltas) {
      deltas.incTenant("dead_letters", call.getArrival().getTenantId(), 1);
      LOG.atWarn().addKeyValue("tenantId", call.getArrival().getTenantId())
          .addKeyValue("callId", call.getArrival().getCallId()).addKeyValue("errorCode", code.name())
          .addKeyValue("attempts", attempts).log("call dead-lettered");
      return new Outcome(null, DeadLetters.of(STAGE, code, message, call.getArrival(), attempts, encoder, call), deltas);
    }

    private static void wait(long millis, String tenantId, String metric, StageMetrics.Deltas deltas)
        throws InterruptedException {
      if (millis > 0) {
        deltas.throttled(metric, tenantId, millis);
        Sleeper.DEFAULT.sleep(millis);
      }
    }

    /**
     * The quota holder of a tenant's calls: a Speech-to-Text or Vertex AI project, or on the Gemini API the
     * project behind one API key; with the model, since quotas are per model.
     */
    private static String projectOf(TenantConfig tenant) {
      TenantConfig.Transcription settings = tenant.transcription();
      if (settings.engine().equals(TenantConfig.Transcription.SPEECH_TO_TEXT)) {
        return "speech:" + settings.speech().project() + "/" + settings.speech().modelOrDefault();
      }
      TenantConfig.Gemini gemini = settings.gemini();
      String project = gemini.isVertex() ? "vertex:" + gemini.project() : "gemini-api:" + gemini.apiKey();
      return project + "/" + settings.model();
    }

    /** The service handled the request, even if it did not like it: evidence that it is not overloaded. */
    private static boolean isAnsweredWithoutOverload(ErrorCode code) {
      return switch (code) {
        case MODEL_BAD_REQUEST, MODEL_AUTH_FAILED, MODEL_PAYLOAD_TOO_LARGE, MODEL_REJECTED, MODEL_RESPONSE_INVALID,
            MODEL_BLOCKED -> true;
        default -> false;
      };
    }

    private static long nextBackoff(BackOff backoff) {
      long next = backoff.nextBackOffMillis();
      return next == BackOff.STOP ? 0 : next;
    }

    /** Up to 10% on top of the server's delay, so callers told the same delay do not return in lockstep. */
    private static long jitter(long millis) {
      return millis + (long) (ThreadLocalRandom.current().nextDouble() * millis * 0.1);
    }
  }
}
