package dev.parley.transforms.transcribe;

import dev.parley.model.ErrorCode;
import dev.parley.model.ProbedAudio;
import dev.parley.model.Transcript;
import dev.parley.tenant.TenantConfig;
import dev.parley.tenant.TenantRegistry;
import dev.parley.transforms.admission.AdmissionControl;
import dev.parley.transforms.admission.CallCost;
import dev.parley.transforms.admission.QuotaHolder;
import dev.parley.transforms.admission.Ticket;
import dev.parley.transforms.deadletter.DeadLetters;
import dev.parley.transforms.deadletter.PayloadEncoder;
import dev.parley.transforms.logging.KeyValuesInMdc;
import dev.parley.transforms.metrics.StageMetrics;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongFunction;
import org.apache.beam.sdk.util.BackOff;
import org.apache.beam.sdk.util.FluentBackoff;
import org.apache.beam.sdk.util.Sleeper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One call from admission to outcome: the attempt loop of the Transcribe stage. Every attempt is admitted
 * (a retry spends quota like any request), passes the send gate right before it goes out, is one engine
 * request, and on a retryable failure waits as the service asked (RetryInfo) or backs off with jitter.
 * Client-side adaptive throttling, per tenant and per quota holder, keeps a struggling service from being
 * hammered. Never throws: every failure becomes a dead letter. Runs on a {@link CallExecutor} thread, so
 * metrics are gathered as deltas for the bundle thread.
 */
public final class CallRunner {
  private static final Logger LOG = LoggerFactory.getLogger(CallRunner.class);

  /** How the stage retries: attempts, backoff, per-request timeout. */
  public record RetryPolicy(int maxAttempts, int maxInvalidAnswerAttempts, org.joda.time.Duration initialBackoff,
      org.joda.time.Duration maxBackoff, LongFunction<Duration> timeoutForAudioMillis) {}

  private final String stage;
  private final RetryPolicy policy;
  private final AdmissionControl admission;
  private final PayloadEncoder<ProbedAudio> encoder;
  private final String throttlerScope;

  public CallRunner(String stage, RetryPolicy policy, AdmissionControl admission, PayloadEncoder<ProbedAudio> encoder,
      String throttlerScope) {
    this.stage = stage;
    this.policy = policy;
    this.admission = admission;
    this.encoder = encoder;
    this.throttlerScope = throttlerScope;
  }

  /** Puts the call's first attempt in line for admission. */
  public Ticket enqueue(TenantConfig tenant, TenantRegistry config, ProbedAudio call) {
    QuotaHolder holder = QuotaHolder.of(tenant);
    return admission.enqueue(holder.key(), holder.limits(config), tenant, CallCost.ofAudio(call.getAudio().getDurationMillis()));
  }

  /**
   * Runs the call whose first attempt was admitted with {@code firstTicket} after waiting {@code waitedNanos}.
   */
  public CallOutcome run(ProbedAudio call, TenantConfig tenant, TenantRegistry config, TranscriptionEngine engine,
      Ticket firstTicket, long waitedNanos) {
    StageMetrics.Deltas deltas = new StageMetrics.Deltas();
    String tenantId = tenant.id();
    QuotaHolder holder = QuotaHolder.of(tenant);
    recordAdmission(deltas, tenantId, waitedNanos);
    long admissionNanos = waitedNanos;
    TranscriptionRequest request = new TranscriptionRequest(tenant, call,
        policy.timeoutForAudioMillis().apply(call.getAudio().getDurationMillis()));
    BackOff backoff = FluentBackoff.DEFAULT.withInitialBackoff(policy.initialBackoff())
        .withMaxBackoff(policy.maxBackoff()).backoff();
    AdaptiveThrottler tenantThrottler = AdaptiveThrottler.shared(throttlerScope + "/tenant/" + tenantId);
    AdaptiveThrottler projectThrottler = AdaptiveThrottler.shared(throttlerScope + "/project/" + holder.key());
    CallCost cost = CallCost.ofAudio(call.getAudio().getDurationMillis());
    Ticket ticket = firstTicket;
    int attempts = 0;
    int invalidAnswers = 0;
    PreparedCall prepared = null;
    try {
      while (true) {
        attempts++;
        try {
          if (tenantThrottler.rejectLocally() | projectThrottler.rejectLocally()) {
            deltas.incTenant("locally_rejected", tenantId, 1);
            throw new LocallyRejected();
          }
          if (prepared == null) {
            prepared = engine.prepare(request);
          }
          long sendWaitMillis = admission.awaitSend(holder.key(), holder.limits(config), cost) / 1_000_000;
          if (sendWaitMillis > 0) {
            deltas.throttled("send_wait_ms", tenantId, sendWaitMillis);
          }
          Transcript transcript = prepared.attempt();
          tenantThrottler.answered(true);
          projectThrottler.answered(true);
          return CallOutcomes.transcribed(call, tenant, transcript, prepared.audioSha256(), config, admissionNanos,
              CallOutcomes.ONLINE_PRICE, deltas);
        } catch (TranscriptionException e) {
          if (!(e instanceof LocallyRejected)) {
            boolean accepted = isAnsweredWithoutOverload(e.code());
            tenantThrottler.answered(accepted);
            projectThrottler.answered(accepted);
          }
          if (e.code() == ErrorCode.MODEL_RESPONSE_INVALID) {
            invalidAnswers++;
          }
          boolean exhausted = attempts >= policy.maxAttempts() || invalidAnswers >= policy.maxInvalidAnswerAttempts();
          if (!e.isRetryable() || exhausted) {
            return failed(call, e.code(), e.getMessage(), attempts, deltas);
          }
          long waitMillis = e.retryAfter() != null ? jitter(e.retryAfter().toMillis()) : nextBackoff(backoff);
          deltas.incTenant("retries", tenantId, 1);
          KeyValuesInMdc.forCall(LOG.atInfo(), tenantId, call.getArrival().getCallId()).addKeyValue("stage", stage)
              .addKeyValue("errorCode", e.code().name()).addKeyValue("attempt", attempts)
              .addKeyValue("waitMillis", waitMillis).log("model call failed, will retry");
          if (waitMillis > 0) {
            deltas.throttled("retry_wait_ms", tenantId, waitMillis);
            Sleeper.DEFAULT.sleep(waitMillis);
          }
        } finally {
          admission.release(holder.key(), ticket);
        }
        ticket = admission.enqueue(holder.key(), holder.limits(config), tenant, cost);
        long waited = admission.await(holder.key(), ticket);
        recordAdmission(deltas, tenantId, waited);
        admissionNanos += waited;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return failed(call, ErrorCode.INTERNAL, "interrupted while waiting to call the model", attempts, deltas);
    } catch (RuntimeException e) {
      KeyValuesInMdc.forCall(LOG.atError(), tenantId, call.getArrival().getCallId()).addKeyValue("stage", stage)
          .setCause(e).log("unexpected failure while transcribing");
      return failed(call, ErrorCode.INTERNAL, DeadLetters.describe(e), attempts, deltas);
    } finally {
      if (prepared != null) {
        prepared.close();
      }
    }
  }

  /** A call that never got to its first attempt. */
  public CallOutcome failed(ProbedAudio call, ErrorCode code, String message, int attempts, StageMetrics.Deltas deltas) {
    return CallOutcomes.failed(stage, encoder, call, code, message, attempts, deltas);
  }

  private static void recordAdmission(StageMetrics.Deltas deltas, String tenantId, long waitedNanos) {
    long millis = waitedNanos / 1_000_000;
    deltas.incTenant("admitted", tenantId, 1);
    deltas.distribution("admission_delay_ms", tenantId, millis);
    if (millis > 0) {
      deltas.incTenant("delayed", tenantId, 1);
      deltas.throttled("admission_wait_ms", tenantId, millis);
    }
  }

  /** An attempt the adaptive throttler kept from being sent. */
  private static final class LocallyRejected extends TranscriptionException {
    LocallyRejected() {
      super(ErrorCode.MODEL_UNAVAILABLE, true, null,
          "not sent: adaptive throttling, the service has been refusing most recent requests");
    }
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
