package dev.parley.tools.bench;

import dev.parley.emulator.gemini.GeminiEmulator;
import dev.parley.emulator.gemini.GeminiEmulatorSettings;
import dev.parley.emulator.gemini.RecordedRequest;
import dev.parley.model.AudioArrival;
import dev.parley.model.AudioInfo;
import dev.parley.model.CallRecord;
import dev.parley.model.ProbedAudio;
import dev.parley.tenant.TenantConfigSpec;
import dev.parley.tools.SampleAudio;
import dev.parley.transforms.CallIds;
import dev.parley.transforms.Transcribe;
import dev.parley.transforms.transcribe.ModelEndpoints;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.Count;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.PCollection;
import org.joda.time.Instant;

/**
 * {@code ./parley bench engine}: what the Transcribe stage sustains through the emulator, and what a large
 * recording costs the worker's heap on each transport. Runs the real stage in real DirectRunner pipelines.
 *
 * <ul>
 *   <li>Throughput: {@code calls} five-second recordings against a fixed emulator latency, with Parley's
 *       asynchronous calls ({@code inFlight} per worker), and, in the same run, the baseline of one call per
 *       bundle thread (what a synchronous DoFn gets). Measured on the emulator's request clock, first to last.
 *   <li>Heap: {@code concurrent} 100 MB recordings at once, through the Files API (Gemini API) and as gs://
 *       references (Vertex AI); live heap at its peak, per extra call in flight (see {@link #heapPerCall}).
 * </ul>
 */
public final class EngineBench {
  private final int calls;
  private final int inFlight;
  private final long latencyMillis;
  private final int concurrent;
  private final long bigBytes;

  public EngineBench(int calls, int inFlight, long latencyMillis, int concurrent, long bigBytes) {
    this.calls = calls;
    this.inFlight = inFlight;
    this.latencyMillis = latencyMillis;
    this.concurrent = concurrent;
    this.bigBytes = bigBytes;
  }

  public String run(Path workdir) throws Exception {
    Path tenantsDir = Files.createDirectories(workdir.resolve("tenants"));
    Path audioDir = Files.createDirectories(workdir.resolve("audio"));
    Path gcs = Files.createDirectories(workdir.resolve("gcs"));
    GeminiEmulatorSettings settings = GeminiEmulatorSettings.builder().latency(latencyMillis, 0).gcsRoot(gcs).build();
    try (GeminiEmulator emulator = GeminiEmulator.start(0, settings)) {
      TenantConfigSpec tenants = BenchTenants.write(tenantsDir, 10_000_000);
      ModelEndpoints endpoints = ModelEndpoints.googleDefault().withGemini(emulator.baseUrl());

      byte[] wav = SampleAudio.wav(5, 8000, 1, 1);
      List<ProbedAudio> small = new ArrayList<>();
      for (int i = 0; i < calls; i++) {
        Path file = audioDir.resolve("call-" + i + ".wav");
        Files.write(file, wav);
        small.add(probed("acme", file.toString(), wav.length, 5000, i));
      }
      double baseline = throughput(emulator, tenants, endpoints, small.subList(0, Math.min(small.size(), calls / 4)), 3);
      double parley = throughput(emulator, tenants, endpoints, small, inFlight);
      double audioHoursPerMinute = parley * 5 * 60 / 3600.0;
      System.out.printf(Locale.ROOT, "throughput: %d calls of 5 s audio, emulator latency %d ms%n", calls, latencyMillis);
      System.out.printf(Locale.ROOT, "  parley, %3d calls in flight per worker: %8.1f calls/s  (%.2f audio h/min; ideal %.1f)%n",
          inFlight, parley, audioHoursPerMinute, inFlight * 1000.0 / latencyMillis);
      System.out.printf(Locale.ROOT, "  baseline, one call per bundle thread:   %8.1f calls/s  (ideal %.1f)%n",
          baseline, 3 * 1000.0 / latencyMillis);

      Path big = audioDir.resolve("big.wav");
      writeBigWav(big, bigBytes);
      Path gcsBig = Files.createDirectories(gcs.resolve("bench-bucket")).resolve("big.wav");
      Files.copy(big, gcsBig);
      TenantConfigSpec smallInline = BenchTenants.write(Files.createDirectories(workdir.resolve("tenants-big")), 1_000_000);
      double filesMb = heapPerCall(smallInline, endpoints, "acme", big.toString());
      int uploadsLeft = emulator.liveFiles();
      double uriMb = heapPerCall(smallInline, endpoints, "globex", "gs://bench-bucket/big.wav");
      System.out.printf(Locale.ROOT, "heap per call in flight, %d x %.0f MB recordings at once:%n", concurrent, bigBytes / 1e6);
      System.out.printf(Locale.ROOT, "  Files API upload (Gemini API): %6.1f MB   (goal <= 16; uploads left behind: %d)%n",
          filesMb, uploadsLeft);
      System.out.printf(Locale.ROOT, "  gs:// fileData (Vertex AI):    %6.1f MB   (goal <= 1)%n", uriMb);
      return String.format(Locale.ROOT, "engine-bench: calls_per_s=%.1f audio_h_per_min=%.2f heap_mb_files=%.1f heap_mb_uri=%.1f",
          parley, audioHoursPerMinute, filesMb, uriMb);
    }
  }

  /** Calls per second between the emulator's first and last request of this run. */
  private static double throughput(GeminiEmulator emulator, TenantConfigSpec tenants, ModelEndpoints endpoints,
      List<ProbedAudio> batch, int inFlight) {
    emulator.reset();
    run(tenants, endpoints, batch, inFlight);
    List<RecordedRequest> requests = emulator.requests();
    if (requests.size() != batch.size()) {
      throw new IllegalStateException("expected " + batch.size() + " requests, saw " + requests.size());
    }
    long first = requests.get(0).time().toEpochMilli();
    long last = requests.get(requests.size() - 1).time().toEpochMilli();
    return (requests.size() - 1) * 1000.0 / Math.max(1, last - first);
  }

  /**
   * Live heap per call in flight: the peak with {@code concurrent} calls minus the peak with one, divided by the
   * extra calls. The difference removes what any run holds whatever its size (the pipeline, the runner, clients).
   */
  private double heapPerCall(TenantConfigSpec tenants, ModelEndpoints endpoints, String tenant, String uri)
      throws Exception {
    List<ProbedAudio> batch = new ArrayList<>();
    for (int i = 0; i < concurrent; i++) {
      batch.add(probed(tenant, uri, bigBytes, bigBytes * 1000 / 32_000, 1000 + i));
    }
    run(tenants, endpoints, batch.subList(0, 1), concurrent); // warm up clients and classes
    long one = peakLiveHeap(tenants, endpoints, batch.subList(0, 1));
    long many = peakLiveHeap(tenants, endpoints, batch);
    return Math.max(0, many - one) / 1e6 / (concurrent - 1);
  }

  private long peakLiveHeap(TenantConfigSpec tenants, ModelEndpoints endpoints, List<ProbedAudio> batch)
      throws Exception {
    try (HeapSampler sampler = new HeapSampler(20)) {
      run(tenants, endpoints, batch, concurrent);
      return sampler.peakBytes();
    }
  }

  private static void run(TenantConfigSpec tenants, ModelEndpoints endpoints, List<ProbedAudio> batch, int inFlight) {
    DirectOptions options = PipelineOptionsFactory.as(DirectOptions.class);
    options.setTargetParallelism(3);
    Pipeline pipeline = Pipeline.create(options);
    PCollection<CallRecord> records = pipeline.apply(Create.of(batch))
        .apply(Transcribe.using(tenants, endpoints).withMaxCallsInFlight(inFlight)
            .withRequestTimeout(org.joda.time.Duration.standardMinutes(5)))
        .output();
    records.apply(Count.globally());
    pipeline.run().waitUntilFinish();
  }

  private static ProbedAudio probed(String tenant, String uri, long size, long durationMillis, long seed) {
    AudioArrival arrival = AudioArrival.builder().setCallId(CallIds.forObject(uri, seed)).setTenantId(tenant)
        .setSourceUri(uri).setSizeBytes(size).setEventTime(Instant.now()).build();
    return ProbedAudio.of(arrival, AudioInfo.builder().setFormat("WAV").setCodec("PCM_S16LE").setMimeType("audio/wav")
        .setDurationMillis(durationMillis).setSampleRateHz(16000).setChannels(1).setBitsPerSample(16).build());
  }

  /** A silent 16 kHz mono WAV of {@code bytes}, written sparsely: no 100 MB array in this JVM. */
  private static void writeBigWav(Path file, long bytes) throws IOException {
    byte[] header = SampleAudio.wavFile(new byte[0], 16000, 1, 16, 1);
    java.nio.ByteBuffer.wrap(header).order(java.nio.ByteOrder.LITTLE_ENDIAN)
        .putInt(4, (int) (bytes - 8)).putInt(40, (int) (bytes - 44));
    try (RandomAccessFile out = new RandomAccessFile(file.toFile(), "rw")) {
      out.write(header);
      out.setLength(bytes);
    }
  }

}
