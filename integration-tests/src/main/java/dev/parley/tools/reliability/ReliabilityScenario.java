package dev.parley.tools.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ListValue;
import com.google.spanner.v1.CommitRequest;
import com.google.spanner.v1.Mutation;
import dev.parley.emulator.crm.HttpStandIn.Answer;
import dev.parley.emulator.crm.WebhookReceiver;
import dev.parley.emulator.gemini.Fault;
import dev.parley.emulator.gemini.GeminiEmulator;
import dev.parley.emulator.gemini.GeminiEmulatorSettings;
import dev.parley.emulator.pubsub.PubsubStandIn;
import dev.parley.emulator.spanner.SpannerStandIn;
import dev.parley.pipeline.IngestOptions;
import dev.parley.pipeline.IngestPipeline;
import dev.parley.tools.StoreContents;
import dev.parley.tools.bench.HeapSampler;
import dev.parley.tools.reliability.Observed.Delivery;
import dev.parley.tools.reliability.Observed.StoredCall;
import dev.parley.tools.reliability.ScenarioLedger.Settlement;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricResults;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/**
 * The reliability scenario of {@code ./parley bench reliability} and of {@code ReliabilityTest}: the streaming
 * ingest job on the DirectRunner, fed through both doors (a watched drop folder and Pub/Sub) with good
 * recordings of many tenants and every kind of bad input, while the stand-ins misbehave: the Gemini emulator
 * answers 429, 500/503, nothing, and cut JSON at the configured rate each, Spanner refuses commits with ABORTED
 * and UNAVAILABLE, some tenants' webhooks are down for a while, and Pub/Sub holds a share of messages twice.
 *
 * <p>Then every input is settled ({@link ScenarioLedger}): stored exactly once and pushed to its CRM exactly
 * once, or dead-lettered with its code; rows, model requests and deliveries are checked to belong to the right
 * tenant; logs, dead letters, rows, metrics and CRM payloads are scanned for the tenants' secrets.
 */
public final class ReliabilityScenario {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String TOPIC = "projects/parley-rel/topics/arrivals";
  private static final String SUBSCRIPTION = "projects/parley-rel/subscriptions/parley-arrivals";
  static final String VERTEX_TENANT = "rel-vertex";
  static final String DISABLED_TENANT = "rel-off";
  static final String UNKNOWN_TENANT = "rel-ghost";
  private static final String VERTEX_PROJECT = "rel-vertex-project";
  private static final long VERTEX_MAX_INLINE_BYTES = 160_000;
  private static final int MAX_AUDIO_SECONDS = 60;

  /** The scenario's size and the stand-ins' behaviour. */
  public record Settings(
      int tenants,
      int goodPerTenant,
      int badRounds,
      Duration feed,
      int tenantsWithCrmOutage,
      Duration crmOutageStart,
      Duration crmOutage,
      long latencyMillis,
      double latencyMillisPerAudioSecond,
      double faultRate,
      double spannerFaultRate,
      double pubsubDuplicateRate,
      Duration deadline,
      Path audioFixtures) {
    /** The integration test's size: a few minutes on a two-core machine. */
    public static Settings small(Path audioFixtures) {
      return new Settings(6, 9, 1, Duration.ofSeconds(40), 2, Duration.ofSeconds(10), Duration.ofSeconds(60),
          300, 50, 0.10, 0.10, 0.20, Duration.ofMinutes(6), audioFixtures);
    }

    /** The benchmark's size. */
    public static Settings large(Path audioFixtures) {
      return new Settings(40, 24, 3, Duration.ofMinutes(4), 8, Duration.ofSeconds(30), Duration.ofSeconds(60),
          800, 150, 0.10, 0.10, 0.20, Duration.ofMinutes(20), audioFixtures);
    }
  }

  private final Settings settings;

  public ReliabilityScenario(Settings settings) {
    this.settings = settings;
  }

  public ReliabilityReport run(Path dir) throws Exception {
    long started = System.nanoTime();
    Random random = new Random(17);
    List<String> tenants = new ArrayList<>();
    for (int i = 0; i < settings.tenants(); i++) {
      tenants.add(String.format(Locale.ROOT, "rel-t%02d", i));
    }
    Path drop = Files.createDirectories(dir.resolve("drop"));
    Path events = Files.createDirectories(dir.resolve("events"));
    Path out = Files.createDirectories(dir.resolve("out"));
    Path secretsDir = Files.createDirectories(dir.resolve("secrets"));
    SecretScan secrets = new SecretScan();
    Map<String, String> credentialOwners = new HashMap<>();
    credentialOwners.put("vertex:" + VERTEX_PROJECT, VERTEX_TENANT);
    Map<String, WebhookReceiver> receivers = new LinkedHashMap<>();

    GeminiEmulatorSettings modelSettings = GeminiEmulatorSettings.builder()
        .latency(settings.latencyMillis(), settings.latencyMillisPerAudioSecond())
        .faults(settings.faultRate(), settings.faultRate() / 2, settings.faultRate() / 2, settings.faultRate(),
            settings.faultRate())
        .timeoutHang(8_000)
        .build();
    try (GeminiEmulator gemini = GeminiEmulator.start(0, modelSettings);
        SpannerStandIn spanner = SpannerStandIn.start();
        PubsubStandIn pubsub = PubsubStandIn.start()) {
      StringBuilder config = new StringBuilder(defaults());
      for (String tenant : tenants) {
        String apiKey = apiKey(random);
        String signingSecret = "whsec_" + Base64.getEncoder().encodeToString(bytes(random, 24));
        secrets.add(tenant + " Gemini API key", apiKey);
        secrets.add(tenant + " webhook signing secret", signingSecret);
        secrets.add(tenant + " webhook signing key", signingSecret.substring("whsec_".length()));
        credentialOwners.put(apiKey, tenant);
        WebhookReceiver receiver = WebhookReceiver.start(signingSecret);
        receivers.put(tenant, receiver);
        config.append(geminiApiTenant(tenant, events, writeSecret(secretsDir, tenant + ".key", apiKey)))
            .append("    crm: {kind: webhook, webhook: {url: \"").append(receiver.url())
            .append("\", signingSecret: \"file://").append(writeSecret(secretsDir, tenant + ".whsec", signingSecret))
            .append("\"}}\n");
      }
      String disabledKey = apiKey(random);
      secrets.add(DISABLED_TENANT + " Gemini API key", disabledKey);
      config.append(geminiApiTenant(DISABLED_TENANT, events, writeSecret(secretsDir, "off.key", disabledKey)))
          .append("    enabled: false\n");
      config.append(vertexTenant(events));
      Path tenantConfig = dir.resolve("tenants.yaml");
      Files.writeString(tenantConfig, config);

      ScenarioInputs plan = new ScenarioInputs(drop, events, settings.audioFixtures(), MAX_AUDIO_SECONDS, 23);
      for (String tenant : tenants) {
        plan.good(tenant, settings.goodPerTenant());
      }
      plan.good(VERTEX_TENANT, settings.goodPerTenant());
      for (int round = 0; round < settings.badRounds(); round++) {
        String tenant = tenants.get(round % tenants.size());
        String other = tenants.get((round + 1) % tenants.size());
        plan.oddButGood(tenant, round);
        plan.badFiles(tenant, UNKNOWN_TENANT, DISABLED_TENANT, round);
        plan.tooLarge(VERTEX_TENANT, round, VERTEX_MAX_INLINE_BYTES);
        plan.badEvents(tenant, other, round);
      }
      List<ScenarioInputs.Planned> planned = new ArrayList<>(plan.planned());
      Collections.shuffle(planned, random);
      List<ScenarioInput> inputs = planned.stream().map(ScenarioInputs.Planned::input).toList();
      ScenarioLedger ledger = new ScenarioLedger(inputs, receivers.keySet(), credentialOwners);

      spanner.failCommits(settings.spannerFaultRate(), settings.spannerFaultRate());
      pubsub.createSubscription(SUBSCRIPTION, TOPIC);
      pubsub.duplicatePublishes(settings.pubsubDuplicateRate());

      long heapBefore = HeapSampler.liveNow();
      AtomicLong heapPeak = new AtomicLong(heapBefore);
      ScheduledExecutorService timers = Executors.newScheduledThreadPool(2);
      PipelineResult job;
      Settlement settlement;
      int crmRequestsWhileDown;
      String jobFailure = null;
      List<String> metricNames = new ArrayList<>();
      long transcribedCounter;
      List<String> timeline = Collections.synchronizedList(new ArrayList<>());
      try (LogCapture logs = LogCapture.start(secrets, dir.resolve("scenario.log"))) {
        job = IngestPipeline.create(options(tenantConfig, drop, out, dir, gemini, spanner, pubsub)).run();
        CompletableFuture<Void> fed = feed(timers, planned, pubsub);
        List<WebhookReceiver> downed = tenants.stream().limit(settings.tenantsWithCrmOutage()).map(receivers::get).toList();
        CompletableFuture<Integer> outage = outage(timers, downed);
        CompletableFuture<Void> settled = new CompletableFuture<>();
        timers.scheduleWithFixedDelay(() -> {
          try {
            // Sampled before the harness reads the stand-ins, so the figure is the job's, not the checker's.
            heapPeak.accumulateAndGet(HeapSampler.liveNow(), Math::max);
            Settlement now = ledger.settle(observe(spanner, out, receivers, gemini));
            String progress = String.format(Locale.ROOT, "stored=%d dlq=%d pending=%d crm_pending=%d", now.stored(),
                now.deadLettered(), now.lost(), now.crmMissing());
            if (timeline.isEmpty() || !timeline.get(timeline.size() - 1).endsWith(progress)) {
              timeline.add(String.format(Locale.ROOT, "%4ds %s",
                  Duration.ofNanos(System.nanoTime() - started).toSeconds(), progress));
            }
            if (fed.isDone() && outage.isDone() && now.complete()) {
              settled.complete(null);
            }
          } catch (RuntimeException e) {
            settled.completeExceptionally(e);
          }
        }, 2, 2, TimeUnit.SECONDS);
        try {
          settled.get(settings.deadline().toMillis(), TimeUnit.MILLISECONDS);
          // Anything still arriving now would be a duplicate: give it a moment to show.
          CompletableFuture.runAsync(() -> { }, CompletableFuture.delayedExecutor(5, TimeUnit.SECONDS)).get();
        } catch (TimeoutException e) {
          // Settled below as it stands: what is missing is reported as lost.
        }
        timers.shutdownNow();
        crmRequestsWhileDown = outage.isDone() ? outage.get() : 0;
        settlement = ledger.settle(observe(spanner, out, receivers, gemini));
        MetricResults metrics = job.metrics();
        transcribedCounter = 0;
        for (MetricResult<Long> counter : metrics.queryMetrics(MetricsFilter.builder().build()).getCounters()) {
          metricNames.add(counter.getName().toString());
          if (counter.getName().getNamespace().equals("parley.Calls") && counter.getName().getName().equals("transcribed")) {
            transcribedCounter = counter.getAttempted();
          }
        }
        try {
          job.cancel();
        } catch (RuntimeException | java.io.IOException e) {
          jobFailure = e.toString();
        }
        List<String> leaks = new ArrayList<>(logs.leaks());
        scanForSecrets(secrets, leaks, spanner, out, receivers, gemini, metricNames, jobFailure);
        Map<Fault.Kind, Long> modelFaults = gemini.faultsAnswered();
        long[] spannerRefused = spanner.commitsRefused();
        return new ReliabilityReport(settings, settlement, leaks, logs.events(), modelFaults,
            gemini.requests().size(), spannerRefused[0], spannerRefused[1], spanner.commits().size(),
            pubsub.duplicated(), crmRequestsWhileDown, transcribedCounter, heapBefore, heapPeak.get(),
            List.copyOf(timeline), Duration.ofNanos(System.nanoTime() - started));
      } finally {
        timers.shutdownNow();
        receivers.values().forEach(WebhookReceiver::close);
      }
    }
  }

  /** Writes each planned input at its moment, spread evenly over the feed time; done when all are in. */
  private CompletableFuture<Void> feed(ScheduledExecutorService timers, List<ScenarioInputs.Planned> planned,
      PubsubStandIn pubsub) {
    CompletableFuture<Void> fed = new CompletableFuture<>();
    AtomicInteger left = new AtomicInteger(planned.size());
    long step = settings.feed().toMillis() / Math.max(1, planned.size());
    for (int i = 0; i < planned.size(); i++) {
      ScenarioInputs.Planned item = planned.get(i);
      timers.schedule(() -> {
        try {
          item.write();
          if (item.input().published()) {
            pubsub.publish(TOPIC, item.input().eventData(), item.input().eventAttributes());
          }
        } catch (Exception e) {
          fed.completeExceptionally(e);
        }
        if (left.decrementAndGet() == 0) {
          fed.complete(null);
        }
      }, i * step, TimeUnit.MILLISECONDS);
    }
    return fed;
  }

  /** Takes the receivers down (503) for the outage; completes with the requests they refused meanwhile. */
  private CompletableFuture<Integer> outage(ScheduledExecutorService timers, List<WebhookReceiver> receivers) {
    CompletableFuture<Integer> over = new CompletableFuture<>();
    int[] before = new int[1];
    timers.schedule(() -> {
      before[0] = receivers.stream().mapToInt(r -> r.requests().size()).sum();
      receivers.forEach(r -> r.answerAlways(Answer.of(503, "{\"error\":\"service unavailable\"}")));
    }, settings.crmOutageStart().toMillis(), TimeUnit.MILLISECONDS);
    timers.schedule(() -> {
      int during = receivers.stream().mapToInt(r -> r.requests().size()).sum() - before[0];
      receivers.forEach(r -> r.answerAlways(null));
      over.complete(during);
    }, settings.crmOutageStart().plus(settings.crmOutage()).toMillis(), TimeUnit.MILLISECONDS);
    return over;
  }

  private static Observed observe(SpannerStandIn spanner, Path out, Map<String, WebhookReceiver> receivers,
      GeminiEmulator gemini) {
    List<StoredCall> stored = new ArrayList<>();
    for (CommitRequest commit : spanner.commits()) {
      for (Mutation mutation : commit.getMutationsList()) {
        if (!mutation.hasInsertOrUpdate() || !mutation.getInsertOrUpdate().getTable().equals("Calls")) {
          continue;
        }
        List<String> columns = mutation.getInsertOrUpdate().getColumnsList();
        for (ListValue row : mutation.getInsertOrUpdate().getValuesList()) {
          com.google.protobuf.Value sha = row.getValues(columns.indexOf("AudioSha256"));
          stored.add(new StoredCall(row.getValues(columns.indexOf("TenantId")).getStringValue(),
              row.getValues(columns.indexOf("CallId")).getStringValue(),
              row.getValues(columns.indexOf("SourceUri")).getStringValue(),
              sha.hasStringValue() ? sha.getStringValue() : null));
        }
      }
    }
    Map<String, List<Delivery>> deliveries = new LinkedHashMap<>();
    Map<String, Integer> refused = new LinkedHashMap<>();
    receivers.forEach((tenant, receiver) -> {
      List<Delivery> parsed = new ArrayList<>();
      for (WebhookReceiver.Delivery delivery : receiver.deliveries()) {
        JsonNode data = readJson(delivery.body()).path("data");
        parsed.add(new Delivery(data.path("tenantId").asText(), data.path("callId").asText(), delivery.body()));
      }
      deliveries.put(tenant, parsed);
      refused.put(tenant, receiver.refused());
    });
    return new Observed(stored, StoreContents.read(out).deadLetters(), deliveries, refused, gemini.requests());
  }

  /** Everything but the logs (scanned as they came): dead letters, rows, CRM payloads, prompts, metrics, failures. */
  private static void scanForSecrets(SecretScan secrets, List<String> leaks, SpannerStandIn spanner, Path out,
      Map<String, WebhookReceiver> receivers, GeminiEmulator gemini, List<String> metricNames, String jobFailure) {
    for (JsonNode letter : StoreContents.read(out).deadLetters()) {
      note(leaks, "a dead letter", secrets.find(letter.toString()));
    }
    for (CommitRequest commit : spanner.commits()) {
      note(leaks, "a Spanner commit", secrets.find(commit.getMutationsList().toString()));
    }
    receivers.forEach((tenant, receiver) -> receiver.deliveries()
        .forEach(d -> note(leaks, "a webhook payload", secrets.find(d.body()))));
    gemini.requests().forEach(r -> note(leaks, "a model prompt", secrets.find(r.prompt())));
    metricNames.forEach(name -> note(leaks, "a metric name", secrets.find(name)));
    note(leaks, "the job's failure", secrets.find(jobFailure));
  }

  private static void note(List<String> leaks, String where, String secret) {
    if (secret != null) {
      leaks.add(where + " holds " + secret);
    }
  }

  private IngestOptions options(Path tenantConfig, Path drop, Path out, Path dir, GeminiEmulator gemini,
      SpannerStandIn spanner, PubsubStandIn pubsub) {
    IngestOptions options = PipelineOptionsFactory.fromArgs(
        "--tenantConfig=" + tenantConfig, "--dropFolder=" + drop, "--watch=true", "--pollIntervalSeconds=1",
        "--subscription=" + SUBSCRIPTION, "--pubsubRootUrl=" + pubsub.rootUrl(),
        "--credentialFactoryClass=org.apache.beam.sdk.extensions.gcp.auth.NoopCredentialFactory",
        "--outputDir=" + out, "--workDir=" + dir.resolve("work"), "--runId=reliability",
        "--geminiEndpoint=" + gemini.baseUrl(),
        "--spannerProject=parley-rel", "--spannerInstance=parley", "--spannerDatabase=calls",
        "--spannerEmulatorHost=" + spanner.host(), "--pushToCrm=true",
        // Faults at 10% each fail four attempts in ten: the retry budget must outlast them, and a timeout must
        // come before the emulator's 8-second hang.
        "--modelMaxAttempts=12", "--modelMaxInvalidAnswers=6", "--modelRequestTimeoutSeconds=2")
        .as(IngestOptions.class);
    options.as(DirectOptions.class).setBlockOnRun(false);
    return options;
  }

  private String defaults() {
    return """
        defaults:
          enabled: true
          transcription:
            engine: gemini
            model: gemini-2.5-flash
            prompt: Transcribe this call.
            maxInlineBytes: 5000000
            maxAudioSeconds: %d
          quota: {requestsPerMinute: 6000, burst: 200, weight: 1, overDailyCap: dead-letter}
          crm: {kind: none}
        tenants:
        """.formatted(MAX_AUDIO_SECONDS);
  }

  private static String geminiApiTenant(String tenant, Path events, Path keyFile) {
    return """
          %1$s:
            displayName: Reliability tenant %1$s
            sources: ["%2$s/"]
            transcription:
              prompt: "Transcribe this call. Tenant marker: %1$s."
              gemini: {backend: gemini-api, apiKey: "file://%3$s"}
        """.formatted(tenant, events.resolve(tenant), keyFile);
  }

  private static String vertexTenant(Path events) {
    return """
          %1$s:
            displayName: Reliability tenant on Vertex AI
            sources: ["%2$s/"]
            transcription:
              prompt: "Transcribe this call. Tenant marker: %1$s."
              maxInlineBytes: %3$d
              gemini: {backend: vertex-ai, project: %4$s, location: us-central1}
        """.formatted(VERTEX_TENANT, events.resolve(VERTEX_TENANT), VERTEX_MAX_INLINE_BYTES, VERTEX_PROJECT);
  }

  private static Path writeSecret(Path dir, String name, String value) throws java.io.IOException {
    Path file = dir.resolve(name);
    Files.writeString(file, value);
    return file;
  }

  private static String apiKey(Random random) {
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-";
    StringBuilder key = new StringBuilder("AIza");
    for (int i = 0; i < 35; i++) {
      key.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return key.toString();
  }

  private static byte[] bytes(Random random, int n) {
    byte[] bytes = new byte[n];
    random.nextBytes(bytes);
    return bytes;
  }

  private static JsonNode readJson(String body) {
    try {
      return JSON.readTree(body);
    } catch (java.io.IOException e) {
      return JSON.createObjectNode();
    }
  }
}
