package dev.parley.transforms.crm;

import com.google.auto.value.AutoValue;
import dev.parley.model.CallRecord;
import dev.parley.model.CrmSync;
import dev.parley.model.DeadLetter;
import dev.parley.tenant.TenantConfigSpec;
import dev.parley.transforms.deadletter.DeadLetters;
import dev.parley.transforms.deadletter.PayloadEncoder;
import java.time.Duration;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Reshuffle;
import org.apache.beam.sdk.transforms.WithFailures;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * Pushes each call into its tenant's CRM, as tenant config says ({@code crm.kind}: hubspot, salesforce, webhook;
 * none skips the call), and records every outcome as a {@link CrmSync} row; a call that could not be pushed is
 * also a dead letter with a specific code ({@code CRM_RATE_LIMITED}, {@code CRM_DAILY_LIMIT_REACHED},
 * {@code CRM_UNAVAILABLE}, {@code CRM_CIRCUIT_OPEN}, ...), replayable once the cause is gone.
 *
 * <p>One tenant's CRM being slow or down must not slow the others. Calls are spread over workers first
 * ({@link Reshuffle}), not keyed by tenant (a key is processed serially: a hot tenant would queue behind its own
 * CRM). Each call then gets a bounded budget: at most {@code maxAttempts} attempts and {@code callBudget} of time,
 * waits included (pacing at the CRM's rate limit, {@code Retry-After}, backoff), after which it is dead-lettered
 * rather than holding a worker thread. In a streaming job, a call that failed for a passing reason (the CRM down,
 * rate-limited) is held in Beam state per tenant and pushed again every {@code holdRetryEvery} for up to
 * {@code maxHold} ({@link HoldForRetryFn}) before it is dead-lettered. A per-endpoint circuit breaker ({@link CrmCircuitBreaker}) makes calls of a
 * tenant whose CRM failed repeatedly, spent its daily allowance or is gone fail fast without a request. Waits go
 * through Beam's Sleeper and count as throttling time.
 */
@AutoValue
public abstract class WriteCallsToCrm
    extends PTransform<PCollection<CallRecord>, WithFailures.Result<PCollection<CrmSync>, DeadLetter>> {
  static final String STAGE = "PushToCrm";
  static final TupleTag<CrmSync> SYNCS = new TupleTag<>("crmSync") {};
  static final TupleTag<CallRecord> HELD = new TupleTag<>("held") {};

  abstract TenantConfigSpec tenants();

  abstract int maxAttempts();

  abstract Duration initialBackoff();

  abstract Duration callBudget();

  abstract Duration requestTimeout();

  abstract int breakerThreshold();

  abstract Duration breakerCooldown();

  /** Streaming: how often calls held after a passing failure are pushed again. */
  abstract Duration holdRetryEvery();

  /** Streaming: how long a call is held before it is dead-lettered. */
  abstract Duration maxHold();

  abstract Builder toBuilder();

  public static WriteCallsToCrm using(TenantConfigSpec tenants) {
    return new AutoValue_WriteCallsToCrm.Builder()
        .tenants(tenants)
        .maxAttempts(4)
        .initialBackoff(Duration.ofSeconds(1))
        .callBudget(Duration.ofSeconds(60))
        .requestTimeout(Duration.ofSeconds(15))
        .breakerThreshold(5)
        .breakerCooldown(Duration.ofMinutes(1))
        .holdRetryEvery(Duration.ofSeconds(30))
        .maxHold(Duration.ofHours(6))
        .build();
  }

  /** Attempts per call (429, 5xx, timeouts); the first included. */
  /** Streaming: push held calls again every {@code every}; dead-letter them after {@code max}. */
  public WriteCallsToCrm withHold(Duration every, Duration max) {
    return toBuilder().holdRetryEvery(every).maxHold(max).build();
  }

  public WriteCallsToCrm withMaxAttempts(int attempts) {
    return toBuilder().maxAttempts(attempts).build();
  }

  /** The first backoff when the CRM named no delay; it grows with jitter from there. */
  public WriteCallsToCrm withInitialBackoff(Duration backoff) {
    return toBuilder().initialBackoff(backoff).build();
  }

  /** The time one call may take in all, waits included, before it is dead-lettered. */
  public WriteCallsToCrm withCallBudget(Duration budget) {
    return toBuilder().callBudget(budget).build();
  }

  public WriteCallsToCrm withRequestTimeout(Duration timeout) {
    return toBuilder().requestTimeout(timeout).build();
  }

  /** After {@code threshold} calls in a row found the CRM unavailable, its calls fail fast for {@code cooldown}. */
  public WriteCallsToCrm withCircuitBreaker(int threshold, Duration cooldown) {
    return toBuilder().breakerThreshold(threshold).breakerCooldown(cooldown).build();
  }

  @AutoValue.Builder
  abstract static class Builder {
    abstract Builder tenants(TenantConfigSpec value);

    abstract Builder maxAttempts(int value);

    abstract Builder initialBackoff(Duration value);

    abstract Builder callBudget(Duration value);

    abstract Builder requestTimeout(Duration value);

    abstract Builder breakerThreshold(int value);

    abstract Builder breakerCooldown(Duration value);

    abstract Builder holdRetryEvery(Duration value);

    abstract Builder maxHold(Duration value);

    abstract WriteCallsToCrm build();
  }

  @Override
  public WithFailures.Result<PCollection<CrmSync>, DeadLetter> expand(PCollection<CallRecord> calls) {
    PayloadEncoder<CallRecord> encoder = PayloadEncoder.of(calls);
    boolean streaming = calls.isBounded() == PCollection.IsBounded.UNBOUNDED;
    PCollectionTuple out = calls
        .apply("SpreadCalls", Reshuffle.viaRandomKey())
        .apply("Push", ParDo.of(new PushToCrmFn(this, encoder, streaming))
            .withOutputTags(SYNCS, TupleTagList.of(DeadLetters.TAG).and(HELD)));
    if (!streaming) {
      return WithFailures.Result.of(out, SYNCS, DeadLetters.TAG);
    }
    PCollectionTuple retried = out.get(HELD).setCoder(calls.getCoder())
        .apply("KeyHeldByTenant", WithKeys.of(CallRecord::getTenantId).withKeyType(TypeDescriptors.strings()))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), calls.getCoder()))
        .apply("HoldForRetry", ParDo.of(new HoldForRetryFn(this, encoder, calls.getCoder()))
            .withOutputTags(SYNCS, TupleTagList.of(DeadLetters.TAG)));
    return WithFailures.Result.of(
        PCollectionList.of(out.get(SYNCS)).and(retried.get(SYNCS)).apply("AllSyncs", Flatten.pCollections()),
        PCollectionList.of(out.get(DeadLetters.TAG)).and(retried.get(DeadLetters.TAG))
            .apply("AllDeadLetters", Flatten.pCollections()));
  }
}
