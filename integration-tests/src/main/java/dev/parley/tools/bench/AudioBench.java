package dev.parley.tools.bench;

import dev.parley.model.AudioArrival;
import dev.parley.model.AudioInfo;
import dev.parley.model.ProbedAudio;
import dev.parley.tenant.TenantConfig;
import dev.parley.tools.SpokenCall;
import dev.parley.transforms.audio.AudioDecoders;
import dev.parley.transforms.audio.AudioPreparation;
import dev.parley.transforms.audio.AudioProbe;
import dev.parley.transforms.audio.AudioTrack;
import dev.parley.transforms.audio.FrameSpan;
import dev.parley.transforms.audio.LevelEnvelope;
import dev.parley.transforms.audio.PcmStream;
import dev.parley.transforms.audio.SilenceTrimmer;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.joda.time.Instant;

/**
 * {@code ./parley bench audio}: what Parley's audio code costs, per format, on one core: header probes per
 * second, decoding speed as a multiple of real time, and live heap per recording being prepared (decoded,
 * trimmed, chunked and written) at once; then trimming on a set of generated calls with 30% silence and known
 * speech. Each timing runs after a warm-up, for a fixed time, in the same JVM for every format.
 *
 * <p>Files: a generated 10-minute 16 kHz call as 16-bit WAV (the common case, and long enough to show that
 * memory does not grow with the call), and the 2-second fixtures of every other format from the source tree
 * (Java has no MP3, FLAC, Opus or AAC encoders to make longer ones).
 */
public final class AudioBench {
  private static final double WARMUP_SECONDS = 1;
  private static final double MEASURE_SECONDS = 2;
  private final Path fixtures;
  private final int silenceCalls;
  private final int concurrent;

  public AudioBench(Path fixtures, int silenceCalls, int concurrent) {
    this.fixtures = fixtures;
    this.silenceCalls = silenceCalls;
    this.concurrent = concurrent;
  }

  public String run(Path workdir) throws Exception {
    Map<String, Path> files = new LinkedHashMap<>();
    Path wav = workdir.resolve("call-16k.wav");
    new SpokenCall(600, 16000, 1, 0.3, 1).write(wav);
    files.put("WAV PCM 16 kHz", wav);
    String[][] fixtureNames = {{"WAV mu-law 8 kHz", "tone-mulaw.wav"}, {"FLAC", "tone.flac"},
        {"MP3 CBR", "tone-cbr.mp3"}, {"MP3 VBR", "tone-vbr.mp3"}, {"Ogg Vorbis", "tone-vorbis.ogg"},
        {"Ogg Opus", "tone-opus.ogg"}, {"M4A AAC", "tone.m4a"}};
    for (String[] fixture : fixtureNames) {
      Path source = fixtures.resolve(fixture[1]);
      if (!Files.isRegularFile(source)) {
        throw new IOException("fixture " + source + " not found: run from the source tree (./parley sets parley.home)");
      }
      files.put(fixture[0], Files.copy(source, workdir.resolve(fixture[1])));
    }
    TenantConfig tenant = BenchTenants.write(Files.createDirectories(workdir.resolve("tenants")), 10_000_000)
        .open().current().find("acme").orElseThrow();
    Path work = Files.createDirectories(workdir.resolve("work"));

    System.out.printf(Locale.ROOT, "%-18s %14s %14s %16s%n", "format", "probes/s", "decode x rt", "heap/file MB");
    double wavProbes = 0;
    double slowestDecode = Double.MAX_VALUE;
    for (Map.Entry<String, Path> file : files.entrySet()) {
      double probes = probesPerSecond(file.getValue());
      double decode = decodeTimesRealTime(file.getValue());
      double heap = heapPerFileMb(file.getValue(), tenant, work);
      System.out.printf(Locale.ROOT, "%-18s %14.0f %14.0f %16.2f%n", file.getKey(), probes, decode, heap);
      if (file.getKey().startsWith("WAV PCM")) {
        wavProbes = probes;
      }
      slowestDecode = Math.min(slowestDecode, decode);
    }
    double[] trim = trimSilenceSet(Files.createDirectories(workdir.resolve("silence")));
    System.out.printf(Locale.ROOT, "silence set: %d calls of 3 min, %.0f%% silence: billed/raw %.3f, silence removed "
        + "%.3f, speech cut %.0f ms%n", silenceCalls, trim[3] * 100, trim[0], trim[1], trim[2]);
    System.out.printf(Locale.ROOT, "goals: WAV probes >= 5000/s, decoding >= 200x real time (slowest format: %.0fx), "
        + "silence removed >= 0.90, speech cut 0 ms%n", slowestDecode);
    return String.format(Locale.ROOT, "audio-bench: wav_probes_per_s=%.0f decode_x_realtime=%.0f silence_removed=%.3f "
        + "speech_cut_ms=%.0f", wavProbes, slowestDecode, trim[1], trim[2]);
  }

  /** Open, probe, close, as ProbeAudio does per recording; after a warm-up, for a fixed time. */
  private static double probesPerSecond(Path file) throws Exception {
    long size = Files.size(file);
    Timed timed = () -> {
      try (FileChannel channel = FileChannel.open(file)) {
        AudioProbe.probe(channel, size);
      }
      return 1;
    };
    return timed.rate();
  }

  /** Audio seconds decoded per wall-clock second, on this thread. */
  private static double decodeTimesRealTime(Path file) throws Exception {
    AudioInfo info = probe(file);
    short[] buffer = new short[8192];
    Timed timed = () -> {
      try (PcmStream pcm = AudioDecoders.open(info, FileChannel.open(file))) {
        long samples = 0;
        for (int n; (n = pcm.read(buffer)) >= 0; ) {
          samples += n;
        }
        return samples / (double) pcm.channels() / pcm.sampleRate();
      }
    };
    return timed.rate();
  }

  /**
   * Live heap per recording in preparation: the peak with {@code concurrent} preparations running minus the peak
   * with one, per extra preparation (what any run holds cancels out).
   */
  private double heapPerFileMb(Path file, TenantConfig tenant, Path work) throws Exception {
    ProbedAudio call = ProbedAudio.of(AudioArrival.builder().setCallId("bench-" + file.getFileName())
        .setTenantId("acme").setSourceUri(file.toString()).setSizeBytes(Files.size(file))
        .setEventTime(Instant.now()).build(), probe(file));
    long one = peakLiveHeap(call, tenant, work, 1);
    long many = peakLiveHeap(call, tenant, work, concurrent);
    return Math.max(0, many - one) / 1e6 / (concurrent - 1);
  }

  private static long peakLiveHeap(ProbedAudio call, TenantConfig tenant, Path work, int threads) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try (HeapSampler sampler = new HeapSampler(20)) {
      List<Future<?>> running = new ArrayList<>();
      long until = System.nanoTime() + 1_000_000_000L;
      for (int t = 0; t < threads; t++) {
        Path folder = Files.createDirectories(work.resolve("t" + t));
        running.add(pool.submit(() -> {
          do {
            AudioPreparation.prepare(call, tenant, () -> FileChannel.open(Path.of(call.getArrival().getSourceUri())),
                folder.toString());
          } while (System.nanoTime() < until);
          return null;
        }));
      }
      for (Future<?> future : running) {
        future.get();
      }
      return sampler.peakBytes();
    } finally {
      pool.shutdown();
    }
  }

  /**
   * Trims generated calls whose speech is known: {billed/raw, share of silence removed, speech cut in ms, share
   * of silence in the set}.
   */
  private double[] trimSilenceSet(Path dir) throws Exception {
    long raw = 0;
    long kept = 0;
    long silence = 0;
    long silenceKept = 0;
    long speechCut = 0;
    for (int i = 0; i < silenceCalls; i++) {
      Path file = dir.resolve("call-" + i + ".wav");
      List<SpokenCall.Utterance> utterances = new SpokenCall(180, 8000, 1, 0.3, 100 + i).write(file);
      LevelEnvelope envelope;
      try (PcmStream pcm = AudioDecoders.open(probe(file), FileChannel.open(file))) {
        envelope = LevelEnvelope.measure(pcm, List.of(AudioTrack.MIX));
      }
      List<FrameSpan> spans = new SilenceTrimmer(TenantConfig.SilenceTrimming.DEFAULT, envelope.sampleRate())
          .keep(envelope, 0);
      long total = envelope.millis(envelope.frames());
      long keptMillis = covered(spans, 0, total, envelope);
      long speech = 0;
      long speechKept = 0;
      for (SpokenCall.Utterance u : utterances) {
        speech += u.endMillis() - u.startMillis();
        speechKept += covered(spans, u.startMillis(), u.endMillis(), envelope);
      }
      raw += total;
      kept += keptMillis;
      silence += total - speech;
      silenceKept += keptMillis - speechKept;
      speechCut += speech - speechKept;
      Files.delete(file);
    }
    return new double[] {kept / (double) raw, 1 - silenceKept / (double) silence, speechCut, silence / (double) raw};
  }

  private static long covered(List<FrameSpan> spans, long from, long to, LevelEnvelope envelope) {
    long covered = 0;
    for (FrameSpan span : spans) {
      covered += Math.max(0, Math.min(to, envelope.millis(span.end())) - Math.max(from, envelope.millis(span.start())));
    }
    return covered;
  }

  private static AudioInfo probe(Path file) throws Exception {
    try (FileChannel channel = FileChannel.open(file)) {
      return AudioProbe.probe(channel, Files.size(file));
    }
  }

  /** One unit of work returning how much it did; {@link #rate} is how much per second in steady state. */
  private interface Timed {
    double once() throws Exception;

    default double rate() throws Exception {
      long warmEnd = System.nanoTime() + (long) (WARMUP_SECONDS * 1e9);
      while (System.nanoTime() < warmEnd) {
        once();
      }
      double done = 0;
      long start = System.nanoTime();
      long end = start + (long) (MEASURE_SECONDS * 1e9);
      long now;
      do {
        done += once();
        now = System.nanoTime();
      } while (now < end);
      return done / ((now - start) / 1e9);
    }
  }
}
