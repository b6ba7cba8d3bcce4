package dev.parley.transforms.batch;

import com.google.auto.value.AutoValue;
import dev.parley.model.CallRecord;
import dev.parley.model.DeadLetter;
import dev.parley.model.ProbedAudio;
import dev.parley.tenant.TenantConfigSpec;
import dev.parley.transforms.deadletter.DeadLetters;
import dev.parley.transforms.deadletter.PayloadEncoder;
import dev.parley.transforms.transcribe.ModelEndpoints;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.GroupIntoBatches;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Reshuffle;
import org.apache.beam.sdk.transforms.WithFailures;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.transforms.join.CoGroupByKey;
import org.apache.beam.sdk.transforms.join.KeyedPCollectionTuple;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * Transcribes a bounded collection of Gemini API calls through the Gemini Batch API, at half the online price:
 * calls are grouped per tenant (a tenant has one model, so a group is a tenant and model), up to
 * {@link GeminiBatchMode#maxCallsPerJob} calls and about 1 GiB of requests per job; each group becomes a JSON
 * Lines requests file and a batch job ({@link SubmitBatchJobFn}); each job is awaited on its own
 * ({@link AwaitBatchJobFn}); the answers are joined back to their calls by line key and become records or dead
 * letters ({@link JoinAnswersFn}).
 *
 * <p>Quotas: the Batch API has its own quota (enqueued tokens per model) and paces the work itself, so the
 * per-minute admission of online calls (requests and audio per minute, calls in flight, the project's RPM and
 * TPM) does not apply to these calls and they take none of the online quota that streaming jobs use. The daily
 * caps still do: {@code DailyQuotaGate} decides per call before it gets here.
 */
@AutoValue
public abstract class TranscribeInBatch
    extends PTransform<PCollection<ProbedAudio>, WithFailures.Result<PCollection<CallRecord>, DeadLetter>> {
  static final String STAGE = "Transcribe";
  static final TupleTag<CallRecord> TRANSCRIBED = new TupleTag<>("transcribed") {};

  abstract TenantConfigSpec tenants();

  abstract ModelEndpoints endpoints();

  abstract GeminiBatchMode mode();

  public static TranscribeInBatch using(TenantConfigSpec tenants, ModelEndpoints endpoints, GeminiBatchMode mode) {
    return new AutoValue_TranscribeInBatch(tenants, endpoints, mode);
  }

  /** A call's line in its job: the call, and which part of it (channel and chunk) when it was split. */
  static String lineKey(ProbedAudio call) {
    String key = call.getArrival().getTenantId() + "/" + call.getArrival().getCallId();
    return call.getPart() == null ? key
        : key + "#" + call.getPart().getChannelRole() + "-" + call.getPart().getChunkIndex();
  }

  @Override
  public WithFailures.Result<PCollection<CallRecord>, DeadLetter> expand(PCollection<ProbedAudio> calls) {
    PayloadEncoder<ProbedAudio> encoder = PayloadEncoder.of(calls);
    PCollectionTuple submitted = calls
        .apply("KeyByTenant", WithKeys.of((ProbedAudio c) -> c.getArrival().getTenantId())
            .withKeyType(TypeDescriptors.strings()))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), calls.getCoder()))
        .apply("GroupIntoJobs", GroupIntoBatches.<String, ProbedAudio>ofSize(mode().maxCallsPerJob())
            .withByteSize(GeminiBatchMode.MAX_REQUEST_BYTES_PER_JOB,
                c -> c.getArrival().getSizeBytes() * 4 / 3 + 16_384))
        .apply("SubmitJobs", ParDo.of(new SubmitBatchJobFn(tenants(), endpoints(), encoder))
            .withOutputTags(SubmitBatchJobFn.JOBS,
                TupleTagList.of(SubmitBatchJobFn.SUBMITTED).and(DeadLetters.TAG)));
    PCollection<KV<String, BatchAnswer>> answers = submitted.get(SubmitBatchJobFn.JOBS)
        .setCoder(SerializableCoder.of(BatchJobRef.class))
        .apply("OneWorkerPerJob", Reshuffle.viaRandomKey())
        .apply("AwaitJobs", ParDo.of(new AwaitBatchJobFn(tenants(), endpoints(), mode())))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), SerializableCoder.of(BatchAnswer.class)));
    PCollectionTuple joined = KeyedPCollectionTuple
        .of(JoinAnswersFn.CALLS, submitted.get(SubmitBatchJobFn.SUBMITTED)
            .setCoder(KvCoder.of(StringUtf8Coder.of(), calls.getCoder())))
        .and(JoinAnswersFn.ANSWERS, answers)
        .apply("JoinAnswersByKey", CoGroupByKey.create())
        .apply("ToRecords", ParDo.of(new JoinAnswersFn(tenants(), encoder))
            .withOutputTags(TRANSCRIBED, TupleTagList.of(DeadLetters.TAG)));
    PCollection<DeadLetter> failures = PCollectionList.of(submitted.get(DeadLetters.TAG))
        .and(joined.get(DeadLetters.TAG))
        .apply("DeadLetters", Flatten.pCollections());
    return WithFailures.Result.of(joined.get(TRANSCRIBED), failures);
  }
}
