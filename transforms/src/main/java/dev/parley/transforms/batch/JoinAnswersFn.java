package dev.parley.transforms.batch;

import dev.parley.model.CallRecord;
import dev.parley.model.ErrorCode;
import dev.parley.model.ProbedAudio;
import dev.parley.model.Transcript;
import dev.parley.tenant.ReloadingTenantRegistry;
import dev.parley.tenant.TenantConfig;
import dev.parley.tenant.TenantConfigSpec;
import dev.parley.tenant.TenantRegistry;
import dev.parley.transforms.deadletter.DeadLetters;
import dev.parley.transforms.deadletter.PayloadEncoder;
import dev.parley.transforms.metrics.StageMetrics;
import dev.parley.transforms.transcribe.CallOutcome;
import dev.parley.transforms.transcribe.CallOutcomes;
import dev.parley.transforms.transcribe.GeminiBatchJobs;
import dev.parley.transforms.transcribe.TranscriptionException;
import java.util.Iterator;
import java.util.Optional;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.join.CoGbkResult;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.TupleTag;

/**
 * Meets each submitted call with its line's answer and makes its outcome: the answer goes through the same
 * parsing and validation as an online answer, and is priced at the Batch API's half price. An answer that does
 * not parse is {@code MODEL_RESPONSE_INVALID} at once (a batch answer is not asked again; replay the dead letter),
 * a line or job failure keeps its code, and a call with no answer at all is {@code MODEL_BATCH_LINE_FAILED}.
 */
final class JoinAnswersFn extends DoFn<KV<String, CoGbkResult>, CallRecord> {
  static final TupleTag<ProbedAudio> CALLS = new TupleTag<>("calls") {};
  static final TupleTag<BatchAnswer> ANSWERS = new TupleTag<>("answers") {};

  private final TenantConfigSpec tenants;
  private final PayloadEncoder<ProbedAudio> encoder;
  private final StageMetrics metrics = new StageMetrics(TranscribeInBatch.STAGE);
  private transient ReloadingTenantRegistry registry;

  JoinAnswersFn(TenantConfigSpec tenants, PayloadEncoder<ProbedAudio> encoder) {
    this.tenants = tenants;
    this.encoder = encoder;
  }

  @Setup
  public void setup() throws Exception {
    registry = tenants.open();
  }

  @ProcessElement
  public void process(@Element KV<String, CoGbkResult> joined, MultiOutputReceiver out) {
    Iterator<BatchAnswer> answers = joined.getValue().getAll(ANSWERS).iterator();
    BatchAnswer answer = answers.hasNext() ? answers.next() : null;
    TenantRegistry config = registry.current();
    for (ProbedAudio call : joined.getValue().getAll(CALLS)) {
      StageMetrics.Deltas deltas = new StageMetrics.Deltas();
      CallOutcome outcome = outcome(call, answer, config, deltas);
      metrics.apply(deltas);
      if (outcome.record() != null) {
        out.get(TranscribeInBatch.TRANSCRIBED).output(outcome.record());
      } else {
        out.get(DeadLetters.TAG).output(outcome.letter());
      }
    }
  }

  private CallOutcome outcome(ProbedAudio call, BatchAnswer answer, TenantRegistry config, StageMetrics.Deltas deltas) {
    if (answer == null) {
      return failed(call, ErrorCode.MODEL_BATCH_LINE_FAILED, "the batch job's responses had no line for this call",
          deltas);
    }
    if (answer.response() == null) {
      return failed(call, answer.code(), answer.message(), deltas);
    }
    Optional<TenantConfig> tenant = config.find(call.getArrival().getTenantId());
    if (tenant.isEmpty()) {
      return failed(call, ErrorCode.TENANT_UNKNOWN, "tenant left the config while its batch job ran", deltas);
    }
    try {
      Transcript transcript = GeminiBatchJobs.transcript(answer.response(), answer.model(),
          call.getAudio().getDurationMillis());
      return CallOutcomes.transcribed(call, tenant.get(), transcript, answer.audioSha256(), config, 0,
          CallOutcomes.BATCH_PRICE, deltas);
    } catch (TranscriptionException e) {
      return failed(call, e.code(), e.getMessage(), deltas);
    }
  }

  private CallOutcome failed(ProbedAudio call, ErrorCode code, String message, StageMetrics.Deltas deltas) {
    return CallOutcomes.failed(TranscribeInBatch.STAGE, encoder, call, code, message, 1, deltas);
  }
}
