package dev.parley.transforms;

import dev.parley.model.AudioArrival;
import dev.parley.model.AudioInfo;
import dev.parley.model.DeadLetter;
import dev.parley.model.ErrorCode;
import dev.parley.model.ProbedAudio;
import dev.parley.tenant.ReloadingTenantRegistry;
import dev.parley.tenant.TenantConfig;
import dev.parley.tenant.TenantConfigSpec;
import dev.parley.transforms.audio.AudioFiles;
import dev.parley.transforms.audio.AudioProbe;
import dev.parley.transforms.audio.AudioProbeException;
import dev.parley.transforms.deadletter.DeadLetters;
import dev.parley.transforms.deadletter.PayloadEncoder;
import dev.parley.transforms.logging.KeyValuesInMdc;
import dev.parley.transforms.metrics.StageMetrics;
import java.io.IOException;
import java.nio.channels.SeekableByteChannel;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.WithFailures;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads each recording's headers (never its audio) to learn format, codec, duration, sample rate and channels,
 * and refuses what cannot be transcribed: empty, corrupt, truncated, unsupported, silent-by-construction or
 * longer than the tenant allows.
 */
public final class ProbeAudio
    extends PTransform<PCollection<AudioArrival>, WithFailures.Result<PCollection<ProbedAudio>, DeadLetter>> {
  static final String STAGE = "ProbeAudio";
  private static final TupleTag<ProbedAudio> PROBED = new TupleTag<>("probed") {};

  private final TenantConfigSpec tenants;

  private ProbeAudio(TenantConfigSpec tenants) {
    this.tenants = tenants;
  }

  public static ProbeAudio using(TenantConfigSpec tenants) {
    return new ProbeAudio(tenants);
  }

  @Override
  public WithFailures.Result<PCollection<ProbedAudio>, DeadLetter> expand(PCollection<AudioArrival> arrivals) {
    PCollectionTuple out = arrivals.apply("ReadHeader",
        ParDo.of(new ProbeFn(tenants, PayloadEncoder.of(arrivals)))
            .withOutputTags(PROBED, TupleTagList.of(DeadLetters.TAG)));
    return WithFailures.Result.of(out, PROBED, DeadLetters.TAG);
  }

  static final class ProbeFn extends DoFn<AudioArrival, ProbedAudio> {
    private static final Logger LOG = LoggerFactory.getLogger(ProbeFn.class);
    private final TenantConfigSpec tenants;
    private final PayloadEncoder<AudioArrival> encoder;
    private final StageMetrics metrics = new StageMetrics(STAGE);
    private transient ReloadingTenantRegistry registry;

    ProbeFn(TenantConfigSpec tenants, PayloadEncoder<AudioArrival> encoder) {
      this.tenants = tenants;
      this.encoder = encoder;
    }

    @Setup
    public void setup() throws Exception {
      registry = tenants.open();
    }

    @ProcessElement
    public void process(@Element AudioArrival arrival, MultiOutputReceiver out) {
      try {
        AudioInfo audio = readHeader(arrival);
        TenantConfig tenant = registry.current().find(arrival.getTenantId()).orElseThrow(() ->
            new AudioProbeException(ErrorCode.TENANT_UNKNOWN, "tenant left the config while the call was in flight"));
        long maxSeconds = tenant.transcription().maxAudioSeconds();
        if (audio.getDurationMillis() > maxSeconds * 1000) {
          throw new AudioProbeException(ErrorCode.AUDIO_TOO_LONG, String.format(
              "recording lasts %.0f s, over the tenant's limit of %d s (transcription.maxAudioSeconds)",
              audio.durationSeconds(), maxSeconds));
        }
        metrics.incTenant("probed", arrival.getTenantId(), 1);
        metrics.incTenant("audio_ms", arrival.getTenantId(), audio.getDurationMillis());
        out.get(PROBED).output(ProbedAudio.of(arrival, audio));
      } catch (AudioProbeException e) {
        fail(out, arrival, e.code(), e.getMessage());
      } catch (IOException e) {
        KeyValuesInMdc.forCall(LOG.atWarn(), arrival.getTenantId(), arrival.getCallId()).addKeyValue("stage", STAGE)
            .log("cannot read recording header: {}", e.toString());
        fail(out, arrival, ErrorCode.AUDIO_READ_FAILED, "cannot read the recording: " + DeadLetters.describe(e));
      }
    }

    private static AudioInfo readHeader(AudioArrival arrival) throws IOException, AudioProbeException {
      try (SeekableByteChannel channel = AudioFiles.openSeekable(arrival.getSourceUri())) {
        return AudioProbe.probe(channel, arrival.getSizeBytes());
      }
    }

    private void fail(MultiOutputReceiver out, AudioArrival arrival, ErrorCode code, String message) {
      metrics.incTenant("dead_letters", arrival.getTenantId(), 1);
      out.get(DeadLetters.TAG).output(DeadLetters.of(STAGE, code, message, arrival, 1, encoder, arrival));
    }
  }
}
