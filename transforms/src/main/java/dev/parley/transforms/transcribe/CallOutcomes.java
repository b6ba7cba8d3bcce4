package dev.parley.transforms.transcribe;

import dev.parley.model.CallRecord;
import dev.parley.model.DeadLetter;
import dev.parley.model.ErrorCode;
import dev.parley.model.ProbedAudio;
import dev.parley.model.Transcript;
import dev.parley.tenant.ModelConfig;
import dev.parley.tenant.TenantConfig;
import dev.parley.tenant.TenantRegistry;
import dev.parley.transforms.deadletter.DeadLetters;
import dev.parley.transforms.deadletter.PayloadEncoder;
import dev.parley.transforms.logging.KeyValuesInMdc;
import dev.parley.transforms.metrics.StageMetrics;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** How a call leaves transcription, online or through a batch job: its record (priced), or its dead letter. */
public final class CallOutcomes {
  /** Share of the list price an online request costs. */
  public static final double ONLINE_PRICE = 1.0;
  /** Share of the list price a Batch API request costs: half. */
  public static final double BATCH_PRICE = 0.5;
  private static final Logger LOG = LoggerFactory.getLogger(CallOutcomes.class);

  private CallOutcomes() {}

  /** A dead letter for the call, counted for its tenant. */
  public static CallOutcome failed(String stage, PayloadEncoder<ProbedAudio> encoder, ProbedAudio call, ErrorCode code,
      String message, int attempts, StageMetrics.Deltas deltas) {
    deltas.incTenant("dead_letters", call.getArrival().getTenantId(), 1);
    DeadLetter deadLetter = DeadLetters.of(stage, code, message, call.getArrival(), attempts, encoder, call);
    KeyValuesInMdc.forDeadLetter(LOG.atWarn(), deadLetter).log("call dead-lettered");
    return new CallOutcome(null, deadLetter, deltas);
  }

  /**
   * The call's record, its cost estimated from the model's list price times {@code priceShare}
   * ({@link #ONLINE_PRICE} or {@link #BATCH_PRICE}).
   */
  public static CallOutcome transcribed(ProbedAudio call, TenantConfig tenant, Transcript transcript,
      @Nullable String sha256, TenantRegistry config, long admissionNanos, double priceShare,
      StageMetrics.Deltas deltas) {
    String tenantId = tenant.id();
    String model = transcript.getModel().substring(transcript.getModel().indexOf('/') + 1);
    Double cost = config.model(model).map(ModelConfig::pricing).map(p -> priceShare * p.estimateUsd(
        transcript.getInputTokens(), transcript.getOutputTokens(), call.getAudio().getDurationMillis())).orElse(null);
    deltas.incTenant("transcribed", tenantId, 1);
    deltas.incTenant("input_tokens", tenantId, transcript.getInputTokens());
    deltas.incTenant("output_tokens", tenantId, transcript.getOutputTokens());
    if (cost == null) {
      deltas.incTenant("unpriced_calls", tenantId, 1);
    } else {
      deltas.incTenant("cost_micro_usd", tenantId, Math.round(cost * 1_000_000));
    }
    return new CallOutcome(CallRecord.builder()
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
        .setAdmissionWaitMillis(admissionNanos / 1_000_000)
        .setPart(call.getPart())
        .setArrivedAt(call.getArrival().getEventTime())
        .setProcessedAt(Instant.now())
        .build(), null, deltas);
  }
}
