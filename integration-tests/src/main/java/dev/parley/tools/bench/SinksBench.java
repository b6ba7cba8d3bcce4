package dev.parley.tools.bench;

import dev.parley.emulator.crm.SalesforceStandIn;
import dev.parley.emulator.crm.WebhookReceiver;
import dev.parley.emulator.spanner.SpannerStandIn;
import dev.parley.model.CallRecord;
import dev.parley.tenant.TenantConfigLoader;
import dev.parley.tenant.TenantConfigSpec;
import dev.parley.tools.SampleCalls;
import dev.parley.transforms.crm.WriteCallsToCrm;
import dev.parley.transforms.spanner.SpannerDatabase;
import dev.parley.transforms.spanner.SpannerTargets;
import dev.parley.transforms.spanner.StoreMutations;
import dev.parley.transforms.spanner.WriteToSpanner;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.ref.Reference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.function.Function;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.io.GenerateSequence;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.POutput;
import org.apache.beam.sdk.values.TypeDescriptor;

/**
 * {@code ./parley bench sinks}: calls per second per core through the Spanner sink (SpannerIO against
 * MockSpannerServiceImpl on localhost) and the CRM sink (signed webhooks and Salesforce upserts against the
 * stand-ins), on the DirectRunner with its test-only immutability and encodability checks off, and the heap one
 * call in flight holds. Each sink is warmed up, then a short and a long run are timed: the rate is their
 * difference in calls over their difference in time, which leaves out each run's start-up.
 */
public final class SinksBench {
  private static final String HOOK_SECRET = "whsec_" + Base64.getEncoder().encodeToString("bench-webhook-key-0123456789abcd".getBytes());

  private final int seconds;
  private final int segments;

  public SinksBench(int seconds, int segments) {
    this.seconds = seconds;
    this.segments = segments;
  }

  /** Runs both sinks and returns the summary line. */
  public String run(Path dir) throws Exception {
    int cores = Runtime.getRuntime().availableProcessors();
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    try (SpannerStandIn spanner = SpannerStandIn.start();
        WebhookReceiver hooks = WebhookReceiver.start(HOOK_SECRET);
        SalesforceStandIn salesforce = SalesforceStandIn.start("3MVG9bench", "bench-client-secret-000",
            generator.generateKeyPair().getPublic(), "bench@parley.example")) {
      TenantConfigSpec tenants = tenants(dir, hooks, salesforce);
      SpannerTargets targets = SpannerTargets.of(new SpannerDatabase("parley-bench", "parley", "calls"),
          TenantConfigLoader.load(tenants.locations()));
      double spannerRate = measure("spanner", n -> run(n, WriteToSpanner.calls(tenants, targets)
          .withEmulatorHost(spanner.host()), "StoreCalls", "routed"));
      double crmRate = measure("crm", n -> run(n, WriteCallsToCrm.using(tenants), "PushToCrm", "pushed"));
      double heapKb = heapKbPerCall(5000);
      System.out.printf("spanner: %.0f calls/s on %d cores, %d commits; crm: %.0f calls/s on %d cores, %d webhook"
              + " deliveries, %d Salesforce Tasks%n", spannerRate, cores, spanner.commits().size(), crmRate, cores,
          hooks.deliveries().size(), salesforce.tasks().size());
      System.out.printf("per core: spanner %.1f calls/s, crm %.1f calls/s; heap per in-flight call %.1f KiB"
          + " (%d speaker turns)%n", spannerRate / cores, crmRate / cores, heapKb, segments);
      return String.format(java.util.Locale.ROOT, "sinks-bench: spanner_calls_per_s=%.1f crm_calls_per_s=%.1f heap_kb_per_call=%.1f",
          spannerRate / cores, crmRate / cores, heapKb);
    }
  }

  /** Two webhook tenants and a Salesforce one, with limits far above what the machine can send. */
  private static TenantConfigSpec tenants(Path dir, WebhookReceiver hooks, SalesforceStandIn salesforce) throws Exception {
    Files.writeString(dir.resolve("hook.whsec"), HOOK_SECRET);
    Files.writeString(dir.resolve("sf.secret"), "bench-client-secret-000");
    String hook = "{kind: webhook, webhook: {url: \"" + hooks.url() + "\", requestsPerMinute: 100000,"
        + " signingSecret: \"file://" + dir.resolve("hook.whsec") + "\"}}";
    Files.writeString(dir.resolve("tenants.yaml"), """
        defaults:
          enabled: true
          transcription: {engine: gemini, model: gemini-2.5-flash, prompt: Transcribe., maxInlineBytes: 5000000,
                          maxAudioSeconds: 3600, gemini: {backend: vertex-ai, project: parley-bench, location: us-central1}}
          quota: {requestsPerMinute: 6000, burst: 100, weight: 1, overDailyCap: defer}
        tenants:
          bench-0: {displayName: Bench 0, crm: %s}
          bench-1:
            displayName: Bench 1
            spanner: {project: parley-bench, instance: own, database: bench1}
            crm: %s
          bench-2:
            displayName: Bench 2
            crm: {kind: salesforce, salesforce: {instanceUrl: "%s", auth: client-credentials, clientId: 3MVG9bench,
                  clientSecret: "file://%s", externalIdField: Parley_Call_Id__c, requestsPerMinute: 100000}}
        """.formatted(hook, hook, salesforce.baseUrl(), dir.resolve("sf.secret")));
    return new TenantConfigSpec(List.of(dir.toString()), java.time.Duration.ofHours(1));
  }

  /**
   * Calls per second once a pipeline is running: a warm-up run, then a short and a long run whose difference
   * in calls over their difference in time leaves out what every run pays once (pipeline start, sessions,
   * schema read). The long run is sized from a first estimate so that the difference lasts about {@link #seconds}.
   */
  private double measure(String sink, Function<Integer, Long> run) {
    timed(sink, 200, run);
    int shortRun = 300;
    double shortSeconds = timed(sink, shortRun, run);
    int longRun = 2 * shortRun;
    double longSeconds = timed(sink, longRun, run);
    if (longSeconds - shortSeconds < 0.75 * seconds) {
      double estimate = (longRun - shortRun) / Math.max(0.1, longSeconds - shortSeconds);
      longRun = shortRun + (int) Math.min(100_000, estimate * seconds);
      longSeconds = timed(sink, longRun, run);
    }
    double rate = (longRun - shortRun) / Math.max(0.001, longSeconds - shortSeconds);
    System.out.printf("%s: %d more calls took %.1f s more: %.0f calls/s%n", sink, longRun - shortRun,
        longSeconds - shortSeconds, rate);
    return rate;
  }

  private static double timed(String sink, int calls, Function<Integer, Long> run) {
    long started = System.nanoTime();
    long done = run.apply(calls);
    double elapsed = (System.nanoTime() - started) / 1e9;
    if (done != calls) {
      throw new IllegalStateException(sink + ": " + done + " of " + calls + " calls went through the sink");
    }
    System.out.printf("%s: %d calls in %.1f s%n", sink, calls, elapsed);
    return elapsed;
  }

  /** Runs {@code calls} generated calls through {@code sink}; returns the stage's {@code counter}. */
  private long run(int calls, PTransform<PCollection<CallRecord>, ? extends POutput> sink, String stage, String counter) {
    Pipeline pipeline = Pipeline.create(PipelineOptionsFactory.fromArgs(
        "--enforceImmutability=false", "--enforceEncodability=false").create());
    int turns = segments;
    pipeline.apply("Calls", GenerateSequence.from(0).to(calls))
        .apply("Transcribed", MapElements.into(TypeDescriptor.of(CallRecord.class))
            .via(i -> SampleCalls.call("bench-" + (i % 3), "call-" + calls + "-" + i, turns)))
        .apply("Sink", sink);
    PipelineResult result = pipeline.run();
    result.waitUntilFinish();
    long total = 0;
    for (MetricResult<Long> metric : result.metrics().queryMetrics(MetricsFilter.builder()
        .addNameFilter(MetricNameFilter.named("parley." + stage, counter)).build()).getCounters()) {
      total += metric.getAttempted();
    }
    return total;
  }

  /** Heap held by calls in flight: each call and the mutations the Spanner sink makes of it. */
  private double heapKbPerCall(int calls) {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    memory.gc();
    long before = memory.getHeapMemoryUsage().getUsed();
    List<Object> inFlight = new ArrayList<>(2 * calls);
    for (int i = 0; i < calls; i++) {
      CallRecord call = SampleCalls.call("bench-0", "heap-" + i, segments);
      inFlight.add(call);
      inFlight.add(StoreMutations.forCall(call));
    }
    memory.gc();
    long after = memory.getHeapMemoryUsage().getUsed();
    Reference.reachabilityFence(inFlight);
    return (after - before) / 1024.0 / calls;
  }
}
