package dev.parley.transforms;

import dev.parley.model.DeadLetter;
import dev.parley.model.ErrorCode;
import dev.parley.model.ProbedAudio;
import dev.parley.tenant.ReloadingTenantRegistry;
import dev.parley.tenant.TenantConfig;
import dev.parley.tenant.TenantConfigSpec;
import dev.parley.transforms.audio.AudioFiles;
import dev.parley.transforms.audio.AudioPreparation;
import dev.parley.transforms.audio.AudioProbeException;
import dev.parley.transforms.deadletter.DeadLetters;
import dev.parley.transforms.deadletter.PayloadEncoder;
import dev.parley.transforms.logging.KeyValuesInMdc;
import dev.parley.transforms.metrics.StageMetrics;
import java.io.IOException;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Reshuffle;
import org.apache.beam.sdk.transforms.WithFailures;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes each probed call into what the model is sent ({@link AudioPreparation}): transcoded when the model does
 * not take the format, silence trimmed, stereo channels apart when the tenant maps them to roles, long calls
 * in chunks. Derived files go to {@code workDir}; each part is its own element, so the chunks of one call are
 * transcribed in parallel, and {@link StitchChunks} puts them back together. Reports raw and billed audio
 * milliseconds per tenant.
 */
public final class PrepareAudio
    extends PTransform<PCollection<ProbedAudio>, WithFailures.Result<PCollection<ProbedAudio>, DeadLetter>> {
  static final String STAGE = "PrepareAudio";
  private static final TupleTag<ProbedAudio> PREPARED = new TupleTag<>("prepared") {};

  private final TenantConfigSpec tenants;
  private final String workDir;

  private PrepareAudio(TenantConfigSpec tenants, String workDir) {
    this.tenants = tenants;
    this.workDir = workDir;
  }

  /** @param workDir where derived audio is written, local or gs://; a lifecycle rule there may delete it after a day */
  public static PrepareAudio using(TenantConfigSpec tenants, String workDir) {
    return new PrepareAudio(tenants, workDir);
  }

  @Override
  public WithFailures.Result<PCollection<ProbedAudio>, DeadLetter> expand(PCollection<ProbedAudio> calls) {
    PCollectionTuple out = calls
        // Decoding is the slow part: spread the calls over workers before it, not where they happened to land.
        .apply("SpreadCalls", Reshuffle.viaRandomKey())
        .apply("DecodeTrimSplit", ParDo.of(new PrepareFn(tenants, workDir, PayloadEncoder.of(calls)))
            .withOutputTags(PREPARED, TupleTagList.of(DeadLetters.TAG)));
    out.get(PREPARED).setCoder(calls.getCoder());
    return WithFailures.Result.of(out, PREPARED, DeadLetters.TAG);
  }

  static final class PrepareFn extends DoFn<ProbedAudio, ProbedAudio> {
    private static final Logger LOG = LoggerFactory.getLogger(PrepareFn.class);
    private final TenantConfigSpec tenants;
    private final String workDir;
    private final PayloadEncoder<ProbedAudio> encoder;
    private final StageMetrics metrics = new StageMetrics(STAGE);
    private transient ReloadingTenantRegistry registry;

    PrepareFn(TenantConfigSpec tenants, String workDir, PayloadEncoder<ProbedAudio> encoder) {
      this.tenants = tenants;
      this.workDir = workDir;
      this.encoder = encoder;
    }

    @Setup
    public void setup() throws Exception {
      registry = tenants.open();
    }

    @ProcessElement
    public void process(@Element ProbedAudio call, MultiOutputReceiver out) {
      String tenantId = call.getArrival().getTenantId();
      try {
        TenantConfig tenant = registry.current().find(tenantId).orElseThrow(() ->
            new AudioProbeException(ErrorCode.TENANT_UNKNOWN, "tenant left the config while the call was in flight"));
        long started = System.nanoTime();
        AudioPreparation.Prepared prepared = AudioPreparation.prepare(call, tenant,
            () -> AudioFiles.openSeekable(call.getArrival().getSourceUri()), workDir);
        metrics.incTenant("raw_audio_ms", tenantId, prepared.rawMillis());
        metrics.incTenant("billed_audio_ms", tenantId, prepared.billedMillis());
        metrics.incTenant(prepared.derived() ? "derived_calls" : "untouched_calls", tenantId, 1);
        metrics.incTenant("parts", tenantId, prepared.calls().size());
        metrics.distribution("prepare_ms").update((System.nanoTime() - started) / 1_000_000);
        KeyValuesInMdc.forCall(LOG.atDebug(), tenantId, call.getArrival().getCallId())
            .addKeyValue("rawMillis", prepared.rawMillis()).addKeyValue("billedMillis", prepared.billedMillis())
            .addKeyValue("parts", prepared.calls().size()).log("audio prepared");
        prepared.calls().forEach(out.get(PREPARED)::output);
      } catch (AudioProbeException e) {
        fail(out, call, e.code(), e.getMessage());
      } catch (IOException e) {
        KeyValuesInMdc.forCall(LOG.atWarn(), tenantId, call.getArrival().getCallId()).addKeyValue("stage", STAGE)
            .log("cannot read recording: {}", e.toString());
        fail(out, call, ErrorCode.AUDIO_READ_FAILED, "cannot read the recording: " + DeadLetters.describe(e));
      }
    }

    private void fail(MultiOutputReceiver out, ProbedAudio call, ErrorCode code, String message) {
      metrics.incTenant("dead_letters", call.getArrival().getTenantId(), 1);
      DeadLetter deadLetter = DeadLetters.of(STAGE, code, message, call.getArrival(), 1, encoder, call);
      KeyValuesInMdc.forDeadLetter(LOG.atWarn(), deadLetter).log("call dead-lettered");
      out.get(DeadLetters.TAG).output(deadLetter);
    }
  }
}
