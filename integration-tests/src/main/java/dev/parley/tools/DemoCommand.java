package dev.parley.tools;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.emulator.gemini.GeminiEmulator;
import dev.parley.emulator.gemini.GeminiEmulatorSettings;
import dev.parley.pipeline.IngestOptions;
import dev.parley.pipeline.IngestPipeline;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./parley demo}: the main job end to end on this machine. Generates recordings for the three example
 * tenants, uses real Gemini when credentials are set and the local emulator otherwise, pushes the calls to local
 * stand-ins of the tenants' CRMs, runs the pipeline on the DirectRunner, and reports per tenant what was stored.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, description = {
    "Runs Parley end to end on local defaults: example tenants, generated recordings, the DirectRunner.",
    "Uses real Gemini if GOOGLE_API_KEY is set (or GOOGLE_GENAI_USE_VERTEXAI=true with GOOGLE_CLOUD_PROJECT",
    "and GOOGLE_CLOUD_LOCATION), otherwise the local Gemini emulator."})
public final class DemoCommand implements Callable<Integer> {
  static final Path EXAMPLES = Path.of(System.getProperty("parley.home", "."), "tenant-config", "examples")
      .toAbsolutePath().normalize();
  private static final List<String> TENANTS = List.of("acme-sales", "globex-support", "initech");
  /** What the emulator says each tenant's calls contain, so the stored transcripts read like calls. */
  private static final Map<String, List<String>> SCRIPTS = Map.of(
      "acme-sales", List.of(
          "Thanks for calling Acme, this is Dana. Hi Dana, I'd like to upgrade our plan to fifty seats. "
              + "Sure, I can send a quote today. Great, please include the annual discount.",
          "Hello, this is Dana from Acme returning your call. Thanks, we are comparing three vendors. "
              + "I can set up a trial for your team this week. Perfect, Thursday works."),
      "globex-support", List.of(
          "Globex support, how can I help? Our warehouse scanner stopped syncing this morning. "
              + "Let's restart the sync service together. It's working again, thank you.",
          "Hello, I'm calling about the invoice from last month. I can help with that, what's the number? "
              + "It's 4417. I see a duplicate charge, I'll refund it within three days."),
      "initech", List.of(
          "Hi, it's Initech, I'm following up on the printer order. The toner ships Friday. "
              + "Can you add two spare drums? Done, I'll update the order.",
          "Initech facilities, Bill speaking. The third floor printer is jammed again. "
              + "I'll send someone up within the hour. Thanks, Bill."));

  @Option(names = "--workdir", defaultValue = "${sys:parley.home:-.}/parley-demo", description = "Where the demo writes everything. Default: ${DEFAULT-VALUE}")
  Path workdir;

  @Option(names = "--recordings", defaultValue = "4", description = "Recordings per tenant. Default: ${DEFAULT-VALUE}")
  int recordingsPerTenant;

  @Override
  public Integer call() throws Exception {
    long started = System.nanoTime();
    workdir = workdir.toAbsolutePath().normalize();
    Folders.deleteRecursively(workdir);
    Path drop = Files.createDirectories(workdir.resolve("drop"));
    Path out = Files.createDirectories(workdir.resolve("out"));
    Path secrets = Files.createDirectories(workdir.resolve("secrets"));

    GeminiEmulator emulator = null;
    try (DemoCrms crms = DemoCrms.start()) {
      GeminiTarget target = GeminiTarget.fromEnvironment();
      if (target == GeminiTarget.EMULATOR) {
        emulator = GeminiEmulator.start(0, GeminiEmulatorSettings.builder().latency(150, 2).build());
      }
      Map<String, Integer> dropped = prepareRecordings(drop, emulator);
      String tenantConfig = EXAMPLES + "," + writeOverlay(target, secrets) + "," + crms.writeOverlay(secrets);
      System.out.println(target.describe(emulator));
      System.out.println(crms.describe());
      System.out.println("Tenants: " + EXAMPLES + " (3 example tenants), with " + secrets.resolve("local-overlay.yaml")
          + " and " + secrets.resolve("crm-overlay.yaml"));
      System.out.println("Running the pipeline on the DirectRunner ...");

      List<String> args = new ArrayList<>(List.of(
          "--tenantConfig=" + tenantConfig, "--dropFolder=" + drop, "--outputDir=" + out, "--runId=demo",
          "--pushToCrm=true"));
      if (emulator != null) {
        args.add("--geminiEndpoint=" + emulator.baseUrl());
      }
      IngestOptions options = PipelineOptionsFactory.fromArgs(args.toArray(String[]::new)).as(IngestOptions.class);
      PipelineResult.State state = IngestPipeline.create(options).run().waitUntilFinish();
      if (state != PipelineResult.State.DONE) {
        System.err.println("The pipeline ended in state " + state);
        return 1;
      }
      report(StoreContents.read(out), dropped, drop, out, (System.nanoTime() - started) / 1e9);
      return 0;
    } finally {
      if (emulator != null) {
        emulator.close();
      }
    }
  }

  /** Writes the recordings; returns how many files each tenant folder received. */
  private Map<String, Integer> prepareRecordings(Path drop, GeminiEmulator emulator) throws Exception {
    Map<String, Integer> dropped = new LinkedHashMap<>();
    long seed = 1;
    for (String tenant : TENANTS) {
      Path folder = Files.createDirectories(drop.resolve(tenant).resolve("2026-11-25"));
      for (int i = 0; i < recordingsPerTenant; i++) {
        byte[] wav = SampleAudio.wav(20 + 10 * (i % 4), i % 2 == 0 ? 8000 : 16000, i % 3 == 2 ? 2 : 1, seed);
        Files.write(folder.resolve(String.format("call-%03d.wav", i + 1)), wav);
        if (emulator != null) {
          emulator.registerTranscript(sha256(wav), SCRIPTS.get(tenant).get(i % SCRIPTS.get(tenant).size()));
        }
        seed++;
      }
      dropped.put(tenant, recordingsPerTenant);
    }
    // One broken upload, to show the dead-letter path: it is reported, the rest carries on.
    Files.write(drop.resolve("initech").resolve("2026-11-25").resolve("call-broken.wav"), SampleAudio.truncatedWav(7));
    dropped.merge("initech", 1, Integer::sum);
    return dropped;
  }

  /** Per-tenant Gemini credentials for this machine, layered over the examples. */
  private static Path writeOverlay(GeminiTarget target, Path secrets) throws IOException {
    StringBuilder yaml = new StringBuilder("# Written by ./parley demo: Gemini credentials for this machine.\ntenants:\n");
    for (String tenant : TENANTS) {
      yaml.append("  ").append(tenant).append(":\n    transcription:\n      gemini: ");
      switch (target) {
        case EMULATOR -> {
          Path key = secrets.resolve(tenant + ".key");
          Files.writeString(key, "demo-key-" + tenant);
          yaml.append(tenant.equals("globex-support")
              ? "{backend: vertex-ai}\n" // The emulator serves Vertex paths too: globex stays on Vertex.
              : "{backend: gemini-api, apiKey: \"file://" + key + "\"}\n");
        }
        case GEMINI_API -> yaml.append("{backend: gemini-api, apiKey: \"env://GOOGLE_API_KEY\"}\n");
        case VERTEX_AI -> yaml.append("{backend: vertex-ai, project: \"").append(System.getenv("GOOGLE_CLOUD_PROJECT"))
            .append("\", location: \"").append(System.getenv("GOOGLE_CLOUD_LOCATION")).append("\"}\n");
      }
    }
    Path overlay = secrets.resolve("local-overlay.yaml");
    Files.writeString(overlay, yaml.toString());
    return overlay;
  }

  private static void report(StoreContents store, Map<String, Integer> dropped, Path drop, Path out, double seconds) {
    System.out.println();
    System.out.printf("%-16s %10s %13s %10s %12s %10s %12s%n",
        "tenant", "recordings", "audio_seconds", "tokens", "transcripts", "crm_synced", "dead_letters");
    long totalFiles = 0;
    long totalTranscripts = 0;
    long totalDead = 0;
    long totalSynced = 0;
    for (Map.Entry<String, Integer> tenant : dropped.entrySet()) {
      List<JsonNode> calls = store.calls().stream().filter(c -> c.get("TenantId").asText().equals(tenant.getKey())).toList();
      long dead = store.deadLetters().stream().filter(l -> tenant.getKey().equals(l.path("TenantId").asText())).count();
      double audio = calls.stream().mapToLong(c -> c.get("DurationMillis").asLong()).sum() / 1000.0;
      long tokens = calls.stream().mapToLong(c -> c.get("InputTokens").asLong() + c.get("OutputTokens").asLong()).sum();
      long synced = store.crmSync().stream().filter(c -> c.get("TenantId").asText().equals(tenant.getKey())
          && c.get("Status").asText().equals("SYNCED")).count();
      System.out.printf("%-16s %10d %13.1f %10d %12d %10d %12d%n", tenant.getKey(), tenant.getValue(), audio, tokens,
          calls.size(), synced, dead);
      totalSynced += synced;
      totalFiles += tenant.getValue();
      totalTranscripts += calls.size();
      totalDead += dead;
    }
    System.out.printf("%-16s %10d %13s %10s %12d %10d %12d%n", "total", totalFiles, "", "", totalTranscripts,
        totalSynced, totalDead);
    System.out.println();
    store.deadLetters().forEach(l -> System.out.println("dead letter: " + l.get("ErrorCode").asText() + " "
        + drop.relativize(Path.of(l.get("SourceUri").asText())) + ": " + l.get("Message").asText()));
    store.calls().stream().findFirst().ifPresent(call -> {
      System.out.println("sample transcript (" + call.get("TenantId").asText() + ", call " + call.get("CallId").asText() + "):");
      store.segments().stream().filter(s -> s.get("CallId").equals(call.get("CallId")))
          .sorted(Comparator.comparingInt(s -> s.get("SegmentIndex").asInt()))
          .limit(4)
          .forEach(s -> System.out.printf("  [%5.1fs] %s: %s%n", s.get("StartMillis").asLong() / 1000.0,
              s.get("Speaker").asText(), s.get("Text").asText()));
    });
    System.out.println();
    System.out.println("recordings:   " + drop);
    System.out.println("calls:        " + out + "/calls-demo-*.jsonl");
    System.out.println("segments:     " + out + "/segments-demo-*.jsonl");
    System.out.println("usage:        " + out + "/tenant_usage-demo-*.jsonl");
    System.out.println("crm sync:     " + out + "/crm_sync-demo-*.jsonl");
    System.out.println("dead letters: " + out + "/dead_letters-demo-*.jsonl");
    System.out.printf("done in %.1f s%n", seconds);
  }

  private static String sha256(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }

  /** Which Gemini the demo talks to, from the same environment variables the google-genai SDK reads. */
  enum GeminiTarget {
    EMULATOR,
    GEMINI_API,
    VERTEX_AI;

    static GeminiTarget fromEnvironment() {
      if ("true".equalsIgnoreCase(System.getenv("GOOGLE_GENAI_USE_VERTEXAI"))
          && System.getenv("GOOGLE_CLOUD_PROJECT") != null && System.getenv("GOOGLE_CLOUD_LOCATION") != null) {
        return VERTEX_AI;
      }
      String key = System.getenv("GOOGLE_API_KEY");
      return key != null && !key.isBlank() ? GEMINI_API : EMULATOR;
    }

    String describe(GeminiEmulator emulator) {
      return switch (this) {
        case EMULATOR -> "Gemini: the local emulator at " + emulator.baseUrl()
            + " (no GOOGLE_API_KEY or Vertex AI settings found; set them to use the real service)";
        case GEMINI_API -> "Gemini: the real Gemini API, with the key in GOOGLE_API_KEY, for every tenant";
        case VERTEX_AI -> "Gemini: real Vertex AI in project " + System.getenv("GOOGLE_CLOUD_PROJECT") + ", "
            + System.getenv("GOOGLE_CLOUD_LOCATION") + ", with Application Default Credentials, for every tenant";
      };
    }
  }
}
