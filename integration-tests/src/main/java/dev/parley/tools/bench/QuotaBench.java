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
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.io.GenerateSequence;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * {@code ./parley bench quota}: Parley's admission against the quota it protects, in real time, on the
 * DirectRunner, with the Gemini emulator enforcing the project's requests-per-minute limit per API key (all
 * tenants share one key, so every call spends one project quota).
 *
 * <p>Six tenants with weights 1 to 3: a noisy one arriving at 20 times its own quota, two quiet ones far under
 * their share, three busy ones above it. The project limit is below the sum of the tenant limits. Scenarios, in
 * one run: Parley streaming; Parley streaming without the noisy tenant (for the quiet tenants' delay); the naive
 * baseline (no admission, 429s retried with backoff); Parley batch, a backfill of calls all present at the start.
 */
public final class QuotaBench {
  record Tenant(String id, double weight, double arrivalsPerMinute, boolean quiet, boolean backlogged) {}

  static final int TENANT_RPM = 60;
  private static final Queue<CallRecord> RECORDS = new ConcurrentLinkedQueue<>();

  private final int projectRpm;
  private final Duration streamingRun;
  private final Duration warmup;
  private final int batchCalls;
  private final List<Tenant> tenants = List.of(
      new Tenant("noisy", 1, 20 * TENANT_RPM, false, true),
      new Tenant("quiet-1", 1, 6, true, false),
      new Tenant("quiet-2", 2, 6, true, false),
      new Tenant("busy-1", 1, 60, false, true),
      new Tenant("busy-2", 2, 60, false, true),
      new Tenant("busy-3", 3, 60, false, true));

  public QuotaBench(int projectRpm, Duration streamingRun, Duration warmup, int batchCalls) {
    this.projectRpm = projectRpm;
    this.streamingRun = streamingRun;
    this.warmup = warmup;
    this.batchCalls = batchCalls;
  }

  /** Results of one streaming scenario, over the measured window. */
  record Streaming(Map<String, Long> admitted, Map<String, List<Long>> delays, long ok, long rejected429, double minutes) {}

  public String run(Path workdir) throws Exception {
    Map<String, String> fileOf = writeAudio(Files.createDirectories(workdir.resolve("audio")));
    GeminiEmulatorSettings settings = GeminiEmulatorSettings.builder().limits(projectRpm, 0).latency(200, 0).build();
    try (GeminiEmulator emulator = GeminiEmulator.start(0, settings)) {
      ModelEndpoints endpoints = ModelEndpoints.googleDefault().withGemini(emulator.baseUrl());
      Map<String, String> tenantOfDigest = digests(fileOf);

      System.out.printf(Locale.ROOT, "project limit %d requests/min; tenant limits %d/min each; %s per streaming run%n",
          projectRpm, TENANT_RPM, streamingRun);
      Streaming parley = streaming(emulator, "parley", tenantsOfRun(workdir, "parley"), endpoints, fileOf,
          tenantOfDigest, tenants, true);
      Streaming calm = streaming(emulator, "calm", tenantsOfRun(workdir, "calm"), endpoints, fileOf, tenantOfDigest,
          tenants.stream().filter(t -> !t.id().equals("noisy")).toList(), true);
      double[] batch = batch(emulator, "batch", tenantsOfRun(workdir, "batch"), endpoints, fileOf, tenantOfDigest);
      // Last: its calls keep retrying after it is cancelled, for up to a minute each, and would slow a later run.
      Streaming baseline = streaming(emulator, "baseline", tenantsOfRun(workdir, "baseline"), endpoints, fileOf,
          tenantOfDigest, tenants, false);

      double utilization = parley.ok() / (projectRpm * parley.minutes());
      double jain = jain(parley);
      double quietWith = p99(quietDelays(parley));
      double quietWithout = p99(quietDelays(calm));
      // A 1 ms floor: both runs admit quiet calls at once, and a ratio of two zeros says nothing.
      double quietRatio = (quietWith + 1) / (quietWithout + 1);
      table(parley, "parley");
      table(baseline, "baseline (no admission, retry on 429)");
      System.out.printf(Locale.ROOT, "quiet tenants' p99 admission delay: %.0f ms with the noisy tenant, %.0f ms without%n",
          quietWith, quietWithout);
      System.out.printf(Locale.ROOT, "quota-bench-batch: utilization=%.3f rejected429=%d calls=%d%n", batch[0], (long) batch[1], batchCalls);
      return String.format(Locale.ROOT,
          "quota-bench: utilization=%.3f rejected429=%d jain=%.3f quiet_p99_ratio=%.2f baseline_rejected429=%d baseline_jain=%.3f",
          utilization, parley.rejected429(), jain, quietRatio, baseline.rejected429(), jain(baseline));
    }
  }

  private Streaming streaming(GeminiEmulator emulator, String run, TenantConfigSpec config, ModelEndpoints endpoints,
      Map<String, String> fileOf, Map<String, String> tenantOfDigest, List<Tenant> arriving, boolean admitted)
      throws Exception {
    emulator.reset();
    RECORDS.clear();
    DirectOptions options = PipelineOptionsFactory.as(DirectOptions.class);
    options.setBlockOnRun(false);
    options.setTargetParallelism(8);
    Pipeline pipeline = Pipeline.create(options);
    List<PCollection<ProbedAudio>> sources = new ArrayList<>();
    for (Tenant tenant : arriving) {
      String id = tenant.id();
      String file = fileOf.get(id);
      long perMinute = Math.round(tenant.arrivalsPerMinute());
      sources.add(pipeline
          .apply("Arrivals-" + tenant.id(), GenerateSequence.from(0).withRate(perMinute, Duration.standardMinutes(1)))
          .apply("Calls-" + tenant.id(), MapElements.into(TypeDescriptor.of(ProbedAudio.class))
              .via((Long n) -> call(id, file, n)))
          .setCoder(pipeline.getSchemaRegistry().getSchemaCoder(ProbedAudio.class)));
    }
    Transcribe transcribe = Transcribe.using(config, endpoints).withMaxAttempts(8)
        .withBackoff(Duration.millis(500), Duration.standardSeconds(10));
    PCollectionList.of(sources).apply(Flatten.pCollections())
        .apply(admitted ? transcribe : transcribe.withoutAdmission())
        .output()
        .apply(ParDo.of(new Collect()));
    long started = System.currentTimeMillis();
    PipelineResult result = pipeline.run();
    PipelineResult.State state = result.waitUntilFinish(streamingRun); // Rethrows what stops the job early.
    if (state != null && state.isTerminal()) {
      throw new IllegalStateException("the streaming job ended early: " + state);
    }
    result.cancel();
    awaitQuiet(emulator);
    long measureFrom = started + warmup.getMillis();
    long measureTo = started + streamingRun.getMillis();

    Map<String, Long> admittedCount = new LinkedHashMap<>();
    long ok = 0;
    long rejected = 0;
    for (RecordedRequest request : requestsOf(emulator, run)) {
      if (request.status() == 429) {
        rejected++;
      }
      long t = request.time().toEpochMilli();
      if (request.status() == 200 && t >= measureFrom && t < measureTo) {
        ok++;
        admittedCount.merge(tenantOfDigest.get(request.audioSha256().get(0)), 1L, Long::sum);
      }
    }
    Map<String, List<Long>> delays = new LinkedHashMap<>();
    for (CallRecord record : RECORDS) {
      if (record.getProcessedAt().getMillis() >= measureFrom && record.getAdmissionWaitMillis() != null) {
        delays.computeIfAbsent(record.getTenantId(), k -> new ArrayList<>()).add(record.getAdmissionWaitMillis());
      }
    }
    return new Streaming(admittedCount, delays, ok, rejected, (measureTo - measureFrom) / 60_000.0);
  }

  /**
   * A cancelled DirectRunner job stops starting bundles, but calls already running finish their attempts (the
   * baseline's retry loops for a while): let them end before the next run competes with them for the machine.
   */
  private static void awaitQuiet(GeminiEmulator emulator) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
    int seen = -1;
    while (emulator.requests().size() != seen && System.nanoTime() < deadline) {
      seen = emulator.requests().size();
      TimeUnit.SECONDS.sleep(15);
    }
  }

  /**
   * Utilization and 429s of a backfill: every tenant's calls present at the start, in proportion to its weight so
   * that all are backlogged most of the run. Utilization is admitted work over what the binding limit allowed:
   * at each moment the smaller of the project limit and the sum of the limits of the tenants not yet done.
   */
  private double[] batch(GeminiEmulator emulator, String run, TenantConfigSpec config, ModelEndpoints endpoints,
      Map<String, String> fileOf, Map<String, String> tenantOfDigest) {
    emulator.reset();
    double totalWeight = tenants.stream().mapToDouble(Tenant::weight).sum();
    List<ProbedAudio> calls = new ArrayList<>();
    for (Tenant tenant : tenants) {
      long count = Math.round(batchCalls * tenant.weight() / totalWeight);
      for (long i = 0; i < count; i++) {
        calls.add(call(tenant.id(), fileOf.get(tenant.id()), 1_000_000L + i));
      }
    }
    DirectOptions options = PipelineOptionsFactory.as(DirectOptions.class);
    options.setTargetParallelism(8);
    Pipeline pipeline = Pipeline.create(options);
    pipeline.apply(Create.of(calls)).apply(Transcribe.using(config, endpoints));
    pipeline.run().waitUntilFinish();

    List<RecordedRequest> requests = requestsOf(emulator, run);
    long rejected = requests.stream().filter(r -> r.status() == 429).count();
    Map<String, Long> lastOf = new LinkedHashMap<>();
    long first = Long.MAX_VALUE;
    long ok = 0;
    for (RecordedRequest r : requests) {
      if (r.status() == 200) {
        ok++;
        first = Math.min(first, r.time().toEpochMilli());
        lastOf.merge(tenantOfDigest.get(r.audioSha256().get(0)), r.time().toEpochMilli(), Math::max);
      }
    }
    double allowed = 0;
    long from = first;
    List<Long> ends = lastOf.values().stream().sorted().toList();
    for (int i = 0; i < ends.size(); i++) {
      double binding = Math.min(projectRpm, (ends.size() - i) * (double) TENANT_RPM);
      allowed += binding * (ends.get(i) - from) / 60_000.0;
      from = ends.get(i);
    }
    return new double[] {ok / Math.max(1e-9, allowed), rejected};
  }

  /** Jain's index of weight-normalised throughput among the backlogged tenants present. */
  private double jain(Streaming run) {
    double sum = 0;
    double squares = 0;
    int n = 0;
    for (Tenant tenant : tenants) {
      if (tenant.backlogged() && run.admitted().containsKey(tenant.id())) {
        double x = run.admitted().get(tenant.id()) / tenant.weight();
        sum += x;
        squares += x * x;
        n++;
      }
    }
    return n == 0 ? 0 : sum * sum / (n * squares);
  }

  private List<Long> quietDelays(Streaming run) {
    List<Long> all = new ArrayList<>();
    tenants.stream().filter(Tenant::quiet).forEach(t -> all.addAll(run.delays().getOrDefault(t.id(), List.of())));
    return all;
  }

  private void table(Streaming run, String title) {
    System.out.println(title + ":");
    System.out.printf(Locale.ROOT, "  %-8s %6s %12s %12s %10s %10s%n", "tenant", "weight", "arrive/min", "admit/min",
        "p50 ms", "p99 ms");
    for (Tenant tenant : tenants) {
      List<Long> delays = run.delays().getOrDefault(tenant.id(), List.of());
      System.out.printf(Locale.ROOT, "  %-8s %6.0f %12.0f %12.1f %10.0f %10.0f%n", tenant.id(), tenant.weight(),
          tenant.arrivalsPerMinute(), run.admitted().getOrDefault(tenant.id(), 0L) / run.minutes(),
          percentile(delays, 0.5), p99(delays));
    }
    System.out.printf(Locale.ROOT, "  admitted %.1f/min of %d (%.1f%%), 429 answers: %d%n", run.ok() / run.minutes(),
        projectRpm, 100 * run.ok() / (projectRpm * run.minutes()), run.rejected429());
  }

  private static double p99(List<Long> values) {
    return percentile(values, 0.99);
  }

  private static double percentile(List<Long> values, double q) {
    if (values.isEmpty()) {
      return 0;
    }
    List<Long> sorted = values.stream().sorted().toList();
    return sorted.get((int) Math.min(sorted.size() - 1, Math.ceil(q * sorted.size()) - 1));
  }

  private static ProbedAudio call(String tenant, String file, long n) {
    AudioArrival arrival = AudioArrival.builder().setCallId(CallIds.forObject(file, n)).setTenantId(tenant)
        .setSourceUri(file).setSizeBytes(16_044).setEventTime(Instant.now()).build();
    return ProbedAudio.of(arrival, AudioInfo.builder().setFormat("WAV").setCodec("PCM_S16LE").setMimeType("audio/wav")
        .setDurationMillis(1000).setSampleRateHz(8000).setChannels(1).setBitsPerSample(16).build());
  }

  private Map<String, String> writeAudio(Path dir) throws Exception {
    Map<String, String> fileOf = new LinkedHashMap<>();
    long seed = 1;
    for (Tenant tenant : tenants) {
      Path file = dir.resolve(tenant.id() + ".wav");
      Files.write(file, SampleAudio.wav(1, 8000, 1, seed++));
      fileOf.put(tenant.id(), file.toString());
    }
    return fileOf;
  }

  private static Map<String, String> digests(Map<String, String> fileOf) throws Exception {
    Map<String, String> tenantOf = new LinkedHashMap<>();
    for (Map.Entry<String, String> entry : fileOf.entrySet()) {
      byte[] bytes = Files.readAllBytes(Path.of(entry.getValue()));
      tenantOf.put(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)), entry.getKey());
    }
    return tenantOf;
  }

  /**
   * Each run is a Gemini project of its own (its own API key, limited alike by the emulator): a cancelled run's
   * calls still in line or retrying after a 429's RetryInfo (up to a minute) must not spend the next run's quota,
   * in Parley's JVM-shared admission or at the emulator, nor count in its record.
   */
  private TenantConfigSpec tenantsOfRun(Path workdir, String run) throws Exception {
    return writeTenants(Files.createDirectories(workdir.resolve("tenants-" + run)), keyOf(run));
  }

  private static String keyOf(String run) {
    return "bench-key-" + run;
  }

  private static List<RecordedRequest> requestsOf(GeminiEmulator emulator, String run) {
    return emulator.requests().stream().filter(r -> r.key().equals(keyOf(run))).toList();
  }

  private TenantConfigSpec writeTenants(Path dir, String key) throws Exception {
    Files.writeString(dir.resolve("project.key"), key);
    StringBuilder yaml = new StringBuilder("""
        defaults:
          enabled: true
          transcription:
            engine: gemini
            model: gemini-2.5-flash
            prompt: Transcribe. ${speakerLabels}
            maxInlineBytes: 10000000
            maxAudioSeconds: 3600
            gemini: {backend: gemini-api, apiKey: "file://%s"}
          quota: {requestsPerMinute: %d, burst: 5, weight: 1, overDailyCap: defer}
          crm: {kind: none}
        models:
          gemini-2.5-flash:
            projectLimits: {requestsPerMinute: %d}
        tenants:
        """.formatted(dir.resolve("project.key"), TENANT_RPM, projectRpm));
    for (Tenant tenant : tenants) {
      yaml.append("  ").append(tenant.id()).append(": {displayName: ").append(tenant.id())
          .append(", quota: {weight: ").append(tenant.weight()).append("}}\n");
    }
    Files.writeString(dir.resolve("tenants.yaml"), yaml.toString());
    return new TenantConfigSpec(List.of(dir.toString()), java.time.Duration.ofHours(1));
  }

  /** Gathers what the pipeline stored; a static queue, since the DirectRunner runs in this JVM. */
  static final class Collect extends DoFn<CallRecord, Void> {
    @ProcessElement
    public void process(@Element CallRecord record) {
      RECORDS.add(record);
    }
  }
}
