package dev.parley.transforms;

import dev.parley.model.DeadLetter;
import dev.parley.model.ErrorCode;
import dev.parley.model.ProbedAudio;
import dev.parley.tenant.ReloadingTenantRegistry;
import dev.parley.tenant.TenantConfig;
import dev.parley.tenant.TenantConfigSpec;
import dev.parley.tenant.TenantRegistry;
import dev.parley.transforms.admission.AdmissionBackend;
import dev.parley.transforms.admission.DailyCaps;
import dev.parley.transforms.admission.OverCap;
import dev.parley.transforms.admission.QuotaHolder;
import dev.parley.transforms.deadletter.DeadLetters;
import dev.parley.transforms.deadletter.PayloadEncoder;
import dev.parley.transforms.metrics.StageMetrics;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.state.BagState;
import org.apache.beam.sdk.state.StateSpec;
import org.apache.beam.sdk.state.StateSpecs;
import org.apache.beam.sdk.state.TimeDomain;
import org.apache.beam.sdk.state.Timer;
import org.apache.beam.sdk.state.TimerSpec;
import org.apache.beam.sdk.state.TimerSpecs;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.WithFailures;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Instant;

/**
 * Counts each call against the daily caps (the tenant's audio minutes, the project's requests per day) before
 * it is transcribed, so a call over a cap never costs a model request. What is over a cap follows the tenant's
 * {@code quota.overDailyCap} policy: {@code dead-letter} ({@code QUOTA_EXHAUSTED_DAILY}), or {@code defer}:
 * a streaming job holds the call in Beam state, per tenant, until the cap resets, then lets it through; a
 * batch job cannot wait a day, so it dead-letters the call as {@code QUOTA_DEFERRED}, to be replayed. The caps are
 * counted where the job's admission is decided ({@link AdmissionBackend#dailyCaps}): in Redis, one total for
 * every worker.
 */
public final class DailyQuotaGate
    extends PTransform<PCollection<ProbedAudio>, WithFailures.Result<PCollection<ProbedAudio>, DeadLetter>> {
  static final String STAGE = "DailyQuotaGate";
  static final org.joda.time.Duration RECHECK = org.joda.time.Duration.standardMinutes(1);
  private static final TupleTag<ProbedAudio> PASSED = new TupleTag<>("passed") {};
  private static final TupleTag<ProbedAudio> DEFERRED = new TupleTag<>("deferred") {};

  private final TenantConfigSpec tenants;
  private final AdmissionBackend backend;

  private DailyQuotaGate(TenantConfigSpec tenants, AdmissionBackend backend) {
    this.tenants = tenants;
    this.backend = backend;
  }

  public static DailyQuotaGate using(TenantConfigSpec tenants, AdmissionBackend backend) {
    return new DailyQuotaGate(tenants, backend);
  }

  @Override
  public WithFailures.Result<PCollection<ProbedAudio>, DeadLetter> expand(PCollection<ProbedAudio> calls) {
    PayloadEncoder<ProbedAudio> encoder = PayloadEncoder.of(calls);
    boolean streaming = calls.isBounded() == PCollection.IsBounded.UNBOUNDED;
    PCollectionTuple gated = calls.apply("Reserve", ParDo.of(new GateFn(tenants, backend, encoder, streaming))
        .withOutputTags(PASSED, TupleTagList.of(DEFERRED).and(DeadLetters.TAG)));
    gated.get(DEFERRED).setCoder(calls.getCoder());
    gated.get(PASSED).setCoder(calls.getCoder());
    if (!streaming) {
      return WithFailures.Result.of(gated.get(PASSED), gated.get(DeadLetters.TAG));
    }
    PCollection<ProbedAudio> released = gated.get(DEFERRED)
        .apply("KeyByTenant", WithKeys.of((ProbedAudio c) -> c.getArrival().getTenantId())
            .withKeyType(TypeDescriptors.strings()))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), calls.getCoder()))
        .apply("HoldUntilReset", ParDo.of(new HoldUntilResetFn(tenants, backend)))
        .setCoder(calls.getCoder());
    return WithFailures.Result.of(
        PCollectionList.of(gated.get(PASSED)).and(released).apply("Admitted", Flatten.pCollections()),
        gated.get(DeadLetters.TAG));
  }

  /** Reserves a call against today's caps ({@code commit}), or only checks it; empty when it fits. */
  static Optional<OverCap> reserve(DailyCaps caps, TenantRegistry config, ProbedAudio call, boolean commit) {
    Optional<TenantConfig> tenant = config.find(call.getArrival().getTenantId());
    if (tenant.isEmpty()) {
      return Optional.empty(); // Transcribe dead-letters calls whose tenant left the config.
    }
    QuotaHolder holder = QuotaHolder.of(tenant.get());
    long audioMillis = call.getAudio().getDurationMillis();
    java.time.Instant now = java.time.Instant.now();
    return commit
        ? caps.reserve(tenant.get(), holder, holder.limits(config), audioMillis, now)
        : caps.check(tenant.get(), holder, holder.limits(config), audioMillis, now);
  }

  static final class GateFn extends DoFn<ProbedAudio, ProbedAudio> {
    private final TenantConfigSpec tenants;
    private final AdmissionBackend backend;
    private final PayloadEncoder<ProbedAudio> encoder;
    private final boolean streaming;
    private final StageMetrics metrics = new StageMetrics(STAGE);
    private transient ReloadingTenantRegistry registry;
    private transient DailyCaps caps;

    GateFn(TenantConfigSpec tenants, AdmissionBackend backend, PayloadEncoder<ProbedAudio> encoder, boolean streaming) {
      this.tenants = tenants;
      this.backend = backend;
      this.encoder = encoder;
      this.streaming = streaming;
    }

    @Setup
    public void setup() throws Exception {
      registry = tenants.open();
      caps = backend.dailyCaps();
    }

    @ProcessElement
    public void process(@Element ProbedAudio call, MultiOutputReceiver out) {
      TenantRegistry config = registry.current();
      Optional<OverCap> over = reserve(caps, config, call, true);
      String tenantId = call.getArrival().getTenantId();
      if (over.isEmpty()) {
        out.get(PASSED).output(call);
        return;
      }
      metrics.incTenant("over_daily_cap", tenantId, 1);
      boolean defer = config.find(tenantId).map(t -> "defer".equals(t.quota().overDailyCap())).orElse(false);
      if (defer && streaming) {
        metrics.incTenant("deferred", tenantId, 1);
        out.get(DEFERRED).output(call);
        return;
      }
      ErrorCode code = defer ? ErrorCode.QUOTA_DEFERRED : ErrorCode.QUOTA_EXHAUSTED_DAILY;
      String message = defer ? over.get().message() + " Replay this dead letter after the reset." : over.get().message();
      out.get(DeadLetters.TAG).output(DeadLetters.of(STAGE, code, message, call.getArrival(), 1, encoder, call));
    }
  }

  /**
   * Holds a tenant's deferred calls until its cap resets, then tries them again; what still does not fit waits
   * on. It also looks every {@link #RECHECK}, so a cap raised in the config releases held calls without waiting
   * for the reset.
   */
  static final class HoldUntilResetFn extends DoFn<KV<String, ProbedAudio>, ProbedAudio> {
    private final TenantConfigSpec tenants;
    private final AdmissionBackend backend;
    private final StageMetrics metrics = new StageMetrics(STAGE);
    private transient ReloadingTenantRegistry registry;
    private transient DailyCaps caps;

    @StateId("held")
    private final StateSpec<BagState<ProbedAudio>> heldSpec = StateSpecs.bag();

    @TimerId("reset")
    private final TimerSpec resetSpec = TimerSpecs.timer(TimeDomain.PROCESSING_TIME);

    HoldUntilResetFn(TenantConfigSpec tenants, AdmissionBackend backend) {
      this.tenants = tenants;
      this.backend = backend;
    }

    @Setup
    public void setup() throws Exception {
      registry = tenants.open();
      caps = backend.dailyCaps();
    }

    @ProcessElement
    public void process(@Element KV<String, ProbedAudio> call, @StateId("held") BagState<ProbedAudio> held,
        @TimerId("reset") Timer reset) {
      held.add(call.getValue());
      reset.set(nextReset(call.getValue()));
    }

    @OnTimer("reset")
    public void onReset(@StateId("held") BagState<ProbedAudio> held, @TimerId("reset") Timer reset,
        OutputReceiver<ProbedAudio> out) {
      TenantRegistry config = registry.current();
      List<ProbedAudio> still = new ArrayList<>();
      for (ProbedAudio call : held.read()) {
        if (reserve(caps, config, call, true).isEmpty()) {
          metrics.incTenant("released_after_reset", call.getArrival().getTenantId(), 1);
          out.output(call);
        } else {
          still.add(call);
        }
      }
      held.clear();
      still.forEach(held::add);
      if (!still.isEmpty()) {
        reset.set(nextReset(still.get(0)));
      }
    }

    private Instant nextReset(ProbedAudio call) {
      Instant recheck = Instant.now().plus(RECHECK);
      return reserve(caps, registry.current(), call, false)
          .map(o -> new Instant(Math.min(o.resetsAt().toEpochMilli(), recheck.getMillis())))
          .orElse(Instant.now());
    }
  }
}
