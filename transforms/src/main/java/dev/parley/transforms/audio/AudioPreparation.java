package dev.parley.transforms.audio;

import dev.parley.model.AudioArrival;
import dev.parley.model.AudioInfo;
import dev.parley.model.AudioPart;
import dev.parley.model.ErrorCode;
import dev.parley.model.ProbedAudio;
import dev.parley.model.TimeSpan;
import dev.parley.tenant.TenantConfig;
import java.io.EOFException;
import java.io.IOException;
import java.nio.channels.SeekableByteChannel;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns one probed call into what is sent to the model, with a decoded-PCM pipeline: decode → tracks (the
 * channels mixed, or each channel apart when the tenant maps them to roles) → silence trimmed → long calls cut
 * into chunks at quiet moments → each part a mono 16-bit WAV at up to 16 kHz. Two streaming decoding passes:
 * the first measures loudness (all the planning needs), the second writes the parts; memory stays a few buffers
 * and the loudness envelope, however long the call.
 *
 * <p>A call the model takes as it is (format accepted, channels mixed anyway, one chunk, little to trim) is sent
 * untouched: rewriting it would cost more than it saves.
 *
 * <p>Stereo calls with roles are sent as two mono files rather than labelled from the mix: the model mixes
 * channels into one, so who said what would rest on its diarization, the very thing that fails on phone audio.
 * Each channel's file holds one voice, so its segments take the channel's role; and since each channel is
 * trimmed on its own, the other party's turns are silence there and cut, so the two files together cost about
 * what the mixed call would.
 */
public final class AudioPreparation {
  /** Below this saving, a trimmed copy costs more (a rewrite, an extra object) than the seconds it saves. */
  static final long MIN_TRIM_SAVING_MILLIS = 1000;
  /** Gemini downsamples everything to 16 kHz; sending more only costs bytes. */
  static final int MAX_OUTPUT_RATE = 16_000;
  /** How far the decoded audio may fall short of the header's duration before the file counts as truncated. */
  static final double TRUNCATION_TOLERANCE = 0.02;

  private AudioPreparation() {}

  /** What was decided for one call: the elements to transcribe and the seconds they cost. */
  public record Prepared(List<ProbedAudio> calls, long rawMillis, long billedMillis, boolean derived) {}

  /** Opens the recording again for each decoding pass. */
  public interface Source {
    SeekableByteChannel open() throws IOException;
  }

  /**
   * @param workDir folder (local or gs://) for derived files; each call's go under {@code {tenant}/{callId}/},
   *     named by track and chunk, so a retry rewrites the same objects
   */
  public static Prepared prepare(ProbedAudio call, TenantConfig tenant, Source source, String workDir)
      throws IOException, AudioProbeException {
    AudioInfo audio = call.getAudio();
    TenantConfig.Transcription settings = tenant.transcription();
    List<AudioTrack> tracks = tracks(settings.channels(), audio);
    LevelEnvelope envelope = measure(audio, source, tracks);
    int rate = envelope.sampleRate();
    TenantConfig.SilenceTrimming trimming = settings.silenceTrimmingOrDefault();
    SilenceTrimmer trimmer = new SilenceTrimmer(trimming, rate);
    TenantConfig.Chunking chunking = settings.chunkingOrDefault();
    ChunkPlanner planner = new ChunkPlanner((long) chunking.maxChunkSecondsOrDefault() * rate,
        (long) chunking.overlapSecondsOrDefault() * rate);
    List<List<AudioChunk>> chunksPerTrack = new ArrayList<>();
    long keptFrames = 0;
    for (int t = 0; t < tracks.size(); t++) {
      List<FrameSpan> kept = trimming.enabledOrDefault() ? trimmer.keep(envelope, t) : SilenceTrimmer.whole(envelope);
      keptFrames += new KeptTimeline(kept).length();
      // A chunk can come out empty only where the sound around a cut was all trimmed away: nothing to send.
      chunksPerTrack.add(planner.plan(kept, envelope, t).stream().filter(c -> !c.spans().isEmpty()).toList());
    }
    long rawMillis = audio.getDurationMillis();
    boolean untouched = tracks.size() == 1 && chunksPerTrack.get(0).size() == 1
        && ModelAudioFormats.takesAsIs(tenant, audio)
        && envelope.millis(envelope.frames() - keptFrames) < MIN_TRIM_SAVING_MILLIS;
    if (untouched) {
      return new Prepared(List.of(call), rawMillis, rawMillis, false);
    }
    int outputRate = Math.min(rate, MAX_OUTPUT_RATE);
    String folder = (workDir.endsWith("/") ? workDir : workDir + "/") + call.getArrival().getTenantId() + "/"
        + call.getArrival().getCallId() + "/";
    int partCount = 0;
    for (List<AudioChunk> chunks : chunksPerTrack) {
      partCount += chunks.size();
    }
    List<PartWriter.PlannedPart> planned = new ArrayList<>();
    List<ProbedAudio> parts = new ArrayList<>();
    long billedMillis = 0;
    for (int t = 0; t < tracks.size(); t++) {
      List<AudioChunk> chunks = chunksPerTrack.get(t);
      for (int index = 0; index < chunks.size(); index++) {
        PartWriter.PlannedPart plan = new PartWriter.PlannedPart(tracks.get(t), chunks.get(index).spans(),
            folder + tracks.get(t).name() + "-" + index + ".wav", outputRate);
        AudioPart part = AudioPart.builder()
            .setParentArrival(call.getArrival()).setParentAudio(audio).setChannelRole(tracks.get(t).role())
            .setChunkIndex(index).setChunkCount(chunks.size()).setPartCount(partCount)
            .setOwnedFromMillis(envelope.millis(chunks.get(index).ownedFrom()))
            .setOwnedToMillis(envelope.millis(chunks.get(index).ownedTo()))
            .setTimeMap(timeMap(chunks.get(index).spans(), envelope)).build();
        ProbedAudio derived = derived(call.getArrival(), plan, part, rate);
        planned.add(plan);
        parts.add(derived);
        billedMillis += derived.getAudio().getDurationMillis();
      }
    }
    try (PcmStream pcm = AudioDecoders.open(audio, source.open())) {
      PartWriter.write(pcm, planned);
    } catch (WorkDirWriteException e) {
      throw new AudioProbeException(ErrorCode.AUDIO_WRITE_FAILED, e.getMessage());
    }
    return new Prepared(parts, rawMillis, billedMillis, true);
  }

  /** The element for one derived file: a mono 16-bit WAV named after the call, its track and its chunk. */
  private static ProbedAudio derived(AudioArrival call, PartWriter.PlannedPart plan, AudioPart part, int inputRate) {
    long frames = PartWriter.outputFrames(plan.spans(), inputRate, plan.outputRate());
    AudioInfo audio = AudioInfo.builder().setFormat(AudioFormat.WAV.name()).setCodec("PCM_S16LE")
        .setMimeType(AudioFormat.WAV.mimeType()).setDurationMillis(frames * 1000 / plan.outputRate())
        .setSampleRateHz(plan.outputRate()).setChannels(1).setBitsPerSample(16).build();
    AudioArrival arrival = call.toBuilder()
        .setCallId(call.getCallId() + "-" + plan.track().name() + "-" + part.getChunkIndex())
        .setSourceUri(plan.uri()).setSizeBytes(WavWriter.fileBytes(frames)).setContentType("audio/wav").build();
    return ProbedAudio.part(arrival, audio, part);
  }

  private static List<AudioTrack> tracks(TenantConfig.Channels roles, AudioInfo audio) {
    if (roles == null || audio.getChannels() != 2) {
      return List.of(AudioTrack.MIX);
    }
    return List.of(AudioTrack.channel(0, roles.role(0)), AudioTrack.channel(1, roles.role(1)));
  }

  /**
   * The first pass. A decoder's failure is the recording's fault (corrupt, or truncated when it ends early); the
   * store's failure is passed on as it is, to be retried.
   */
  private static LevelEnvelope measure(AudioInfo audio, Source source, List<AudioTrack> tracks)
      throws IOException, AudioProbeException {
    LevelEnvelope envelope;
    try (PcmStream pcm = AudioDecoders.open(audio, source.open())) {
      envelope = LevelEnvelope.measure(pcm, tracks);
    } catch (IOException | RuntimeException e) {
      StorageReadException storage = StorageReadException.in(e);
      if (storage != null) {
        throw storage;
      }
      if (e instanceof EOFException) {
        throw new AudioProbeException(ErrorCode.AUDIO_TRUNCATED, "the audio ends early: " + e.getMessage());
      }
      throw new AudioProbeException(ErrorCode.AUDIO_CORRUPT, "the audio cannot be decoded: "
          + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
    }
    long decoded = envelope.millis(envelope.frames());
    long declared = audio.getDurationMillis();
    if (decoded < declared - Math.max(1000, declared * TRUNCATION_TOLERANCE)) {
      throw new AudioProbeException(ErrorCode.AUDIO_TRUNCATED, "decoded " + decoded + " ms of the " + declared
          + " ms the header declares");
    }
    if (envelope.frames() == 0) {
      throw new AudioProbeException(ErrorCode.AUDIO_ZERO_DURATION, "the recording decodes to no audio");
    }
    return envelope;
  }

  private static List<TimeSpan> timeMap(List<FrameSpan> spans, LevelEnvelope envelope) {
    List<TimeSpan> map = new ArrayList<>();
    long derived = 0;
    for (FrameSpan span : spans) {
      map.add(TimeSpan.of(envelope.millis(derived), envelope.millis(span.start()), envelope.millis(span.length())));
      derived += span.length();
    }
    return map;
  }
}
