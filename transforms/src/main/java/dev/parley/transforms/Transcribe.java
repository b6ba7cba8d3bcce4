package dev.parley.transforms;

import com.google.auto.value.AutoValue;
import dev.parley.model.CallRecord;
import dev.parley.model.DeadLetter;
import dev.parley.model.ErrorCode;
import dev.parley.model.ProbedAudio;
import dev.parley.model.Transcript;
import dev.parley.tenant.ReloadingTenantRegistry;
import dev.parley.tenant.SecretResolver;
import dev.parley.tenant.TenantConfig;
import dev.parley.tenant.TenantConfigSpec;
import dev.parley.transforms.admission.TenantRateLimiter;
import dev.parley.transforms.deadletter.DeadLetters;
import dev.parley.transforms.deadletter.PayloadEncoder;
import dev.parley.transforms.metrics.StageMetrics;
import dev.parley.transforms.metrics.ThrottledWaits;
import dev.parley.transforms.transcribe.GeminiEndpoint;
import dev.parley.transforms.transcribe.GeminiEngine;
import dev.parley.transforms.transcribe.TranscriptionEngine;
import dev.parley.transforms.transcribe.TranscriptionException;
import dev.parley.transforms.transcribe.TranscriptionRequest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Reshuffle;
import org.apache.beam.sdk.transforms.WithFailures;
import org.apache.beam.sdk.util.BackOff;
import org.apache.beam.sdk.util.FluentBackoff;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Admits and transcribes each call, and turns the result into the {@link CallRecord} the sinks write.
 *
 * <p>Admission happens in the same step that calls the model, right before each attempt: on a runner that runs
 * shuffle-separated stages one after another (batch Dataflow), pacing in an earlier step would not pace the
 * calls. Calls are spread over workers first ({@link Reshuffle}), since a file listing arrives in few splits.
 *
 * <p>Each attempt is one SDK call. Retryable failures (429, 5xx, timeouts, a malformed answer once) wait as the
 * service asked (RetryInfo) or back off with jitter; waiting time is reported on Beam's {@code throttling-msecs}
 * so that Dataflow does not add workers to a throttled step.
 */
@AutoValue
public abstract class Transcribe
    extends PTransform<PCollection<ProbedAudio>, WithFailures.Result<PCollection<CallRecord>, DeadLetter>> {
  static final String STAGE = "Transcribe";
  private static final TupleTag<CallRecord> TRANSCRIBED = new TupleTag<>("transcribed") {};

  abstract TenantConfigSpec tenants();

  abstract GeminiEndpoint endpoint();

  /** Attempts for 429, 5xx and timeouts. */
  abstract int maxAttempts();

  /** Attempts when the answer is malformed: the first and one more. */
  abstract int maxInvalidAnswerAttempts();

  abstract Duration initialBackoff();

  abstract Duration maxBackoff();

  /** Per-request timeout before the audio's share (half a second per second of audio) is added. */
  abstract Duration baseRequestTimeout();

  abstract Builder toBuilder();

  public static Transcribe using(TenantConfigSpec tenants, GeminiEndpoint endpoint) {
    return new AutoValue_Transcribe.Builder()
        .tenants(tenants)
        .endpoint(endpoint)
        .maxAttempts(6)
        .maxInvalidAnswerAttempts(2)
        .initialBackoff(Duration.standardSeconds(2))
        .maxBackoff(Duration.standardMinutes(2))
        .baseRequestTimeout(Duration.standardMinutes(1))
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

  @AutoValue.Builder
  abstract static class Builder {
    abstract Builder tenants(TenantConfigSpec value);

    abstract Builder endpoint(GeminiEndpoint value);

    abstract Builder maxAttempts(int value);

    abstract Builder maxInvalidAnswerAttempts(int value);

    abstract Builder initialBackoff(Duration value);

    abstract Builder maxBackoff(Duration value);

    abstract Builder baseRequestTimeout(Duration value);

    abstract Transcribe build();
  }

  @Override
  public WithFailures.Result<PCollection<CallRecord>, DeadLetter> expand(PCollection<ProbedAudio> calls) {
    PCollectionTuple out = calls
        .apply("SpreadCalls", Reshuffle.viaRandomKey())
        .apply("AdmitAndCall", ParDo.of(new TranscribeFn(this, PayloadEncoder.of(calls)))
            .withOutputTags(TRANSCRIBED, TupleTagList.of(DeadLetters.TAG)));
    return WithFailures.Result.of(out, TRANSCRIBED, DeadLetters.TAG);
  }

  /**
   * Per-request timeout scaled to the audio: Gemini's processing time grows with the recording. At most twenty
   * minutes, so a stuck request cannot hold a worker thread indefinitely.
   */
  java.time.Duration timeoutFor(long audioMillis) {
    long millis = baseRequestTimeout().getMillis() + audioMillis / 2;
    return java.time.Duration.ofMillis(Math.min(millis, 20 * 60_000));
  }

  static final class TranscribeFn extends DoFn<ProbedAudio, CallRecord> {
    private static final Logger LOG = LoggerFactory.getLogger(TranscribeFn.class);
    private final Transcribe spec;
    private final PayloadEncoder<ProbedAudio> encoder;
    private final StageMetrics metrics = new StageMetrics(STAGE);
    private final ThrottledWaits waits = new ThrottledWaits(metrics);
    private transient ReloadingTenantRegistry registry;
    private transient SecretResolver secrets;
    private transient TranscriptionEngine engine;
    private transient TenantRateLimiter limiter;

    TranscribeFn(Transcribe spec, PayloadEncoder<ProbedAudio> encoder) {
      this.spec = spec;
      this.encoder = encoder;
    }

    @Setup
    public void setup() throws Exception {
      registry = spec.tenants().open();
      secrets = new SecretResolver();
      engine = new GeminiEngine(spec.endpoint(), secrets);
      limiter = TenantRateLimiter.shared();
    }

    @Teardown
    public void teardown() {
      if (engine != null) {
        engine.close();
      }
      if (secrets != null) {
        secrets.close();
      }
    }

    @ProcessElement
    public void process(@Element ProbedAudio call, MultiOutputReceiver out) throws InterruptedException {
      String tenantId = call.getArrival().getTenantId();
      Optional<TenantConfig> tenant = registry.current().find(tenantId);
      if (tenant.isEmpty()) {
        fail(out, call, ErrorCode.TENANT_UNKNOWN, "tenant left the config while the call was in flight", 1);
        return;
      }
      long maxInline = tenant.get().transcription().maxInlineBytes();
      if (call.getArrival().getSizeBytes() > maxInline) {
        fail(out, call, ErrorCode.AUDIO_TOO_LARGE, "recording is " + call.getArrival().getSizeBytes()
            + " bytes, over the inline limit of " + maxInline + " (transcription.maxInlineBytes)", 1);
        return;
      }
      byte[] audio;
      try {
        audio = read(call.getArrival().getSourceUri());
      } catch (IOException e) {
        fail(out, call, ErrorCode.AUDIO_READ_FAILED, "cannot read the recording: " + DeadLetters.describe(e), 1);
        return;
      }
      TranscriptionRequest request = new TranscriptionRequest(
          tenant.get(), call, audio, spec.timeoutFor(call.getAudio().getDurationMillis()));
      BackOff backoff = FluentBackoff.DEFAULT
          .withInitialBackoff(spec.initialBackoff())
          .withMaxBackoff(spec.maxBackoff())
          .backoff();
      int attempts = 0;
      int invalidAnswers = 0;
      while (true) {
        attempts++;
        waits.waitFor(limiter.reserve(tenant.get()), tenantId, "admission");
        try {
          Transcript transcript = engine.transcribe(request);
          metrics.incTenant("transcribed", tenantId, 1);
          metrics.incTenant("input_tokens", tenantId, transcript.getInputTokens());
          metrics.incTenant("output_tokens", tenantId, transcript.getOutputTokens());
          out.get(TRANSCRIBED).output(toRecord(call, transcript, sha256(audio)));
          return;
        } catch (TranscriptionException e) {
          if (e.code() == ErrorCode.MODEL_RESPONSE_INVALID) {
            invalidAnswers++;
          }
          boolean exhausted = attempts >= spec.maxAttempts() || invalidAnswers >= spec.maxInvalidAnswerAttempts();
          if (!e.isRetryable() || exhausted) {
            fail(out, call, e.code(), e.getMessage(), attempts);
            return;
          }
          long waitMillis = e.retryAfter() != null ? jitter(e.retryAfter().toMillis()) : nextBackoff(backoff);
          metrics.incTenant("retries", tenantId, 1);
          LOG.atInfo().addKeyValue("tenantId", tenantId).addKeyValue("callId", call.getArrival().getCallId())
              .addKeyValue("errorCode", e.code().name()).addKeyValue("attempt", attempts)
              .addKeyValue("waitMillis", waitMillis).log("model call failed, will retry");
          waits.waitFor(waitMillis, tenantId, "retry");
        }
      }
    }

    private static long nextBackoff(BackOff backoff) {
      long next = backoff.nextBackOffMillis();
      return next == BackOff.STOP ? 0 : next;
    }

    /** Up to 10% on top of the server's delay, so callers told the same delay do not return in lockstep. */
    private static long jitter(long millis) {
      return millis + (long) (Math.random() * millis * 0.1);
    }

    private static CallRecord toRecord(ProbedAudio call, Transcript transcript, String sha256) {
      return CallRecord.builder()
          .setTenantId(call.getArrival().getTenantId())
          .setCallId(call.getArrival().getCallId())
          .setSourceUri(call.getArrival().getSourceUri())
          .setObjectGeneration(call.getArrival().getObjectGeneration())
          .setMetadata(call.getArrival().getMetadata())
          .setAudio(call.getAudio())
          .setAudioSha256(sha256)
          .setTranscript(transcript)
          .setEngine("gemini")
          .setStatus(CallRecord.STATUS_TRANSCRIBED)
          .setArrivedAt(call.getArrival().getEventTime())
          .setProcessedAt(Instant.now())
          .build();
    }

    private static byte[] read(String uri) throws IOException {
      try (InputStream in = Channels.newInputStream(FileSystems.open(FileSystems.matchNewResource(uri, false)))) {
        return in.readAllBytes();
      }
    }

    private static String sha256(byte[] bytes) {
      try {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      }
    }

    private void fail(MultiOutputReceiver out, ProbedAudio call, ErrorCode code, String message, int attempts) {
      metrics.incTenant("dead_letters", call.getArrival().getTenantId(), 1);
      LOG.atWarn().addKeyValue("tenantId", call.getArrival().getTenantId())
          .addKeyValue("callId", call.getArrival().getCallId()).addKeyValue("errorCode", code.name())
          .addKeyValue("attempts", attempts).log("call dead-lettered");
      out.get(DeadLetters.TAG).output(
          DeadLetters.of(STAGE, code, message, call.getArrival(), attempts, encoder, call));
    }
  }
}
