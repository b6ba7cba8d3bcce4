package dev.parley.it;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.emulator.gemini.RecordedRequest;
import dev.parley.pipeline.IngestOptions;
import dev.parley.pipeline.IngestPipeline;
import dev.parley.tools.SampleAudio;
import dev.parley.tools.StoreContents;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The walking skeleton end to end: the real pipeline on the DirectRunner, the example tenants, the Gemini
 * emulator behind the real SDK, and the local store, with good and bad recordings side by side.
 */
public class EndToEndTest {
  @Rule public TemporaryFolder tmp = new TemporaryFolder();
  @Rule public GeminiEmulatorRule gemini = new GeminiEmulatorRule();

  @Test
  public void everyStoredTranscriptComesFromItsOwnAudioAndTenant() throws Exception {
    Path drop = tmp.newFolder("drop").toPath();
    Path out = tmp.newFolder("out").toPath();
    String tenantConfig = LocalTenants.write(tmp.newFolder("tenants").toPath());

    Map<String, String> tenantOfDigest = new HashMap<>();
    long seed = 1;
    for (String tenant : List.of("acme-sales", "globex-support", "initech")) {
      for (int i = 0; i < 3; i++) {
        byte[] wav = SampleAudio.wav(2 + i, i == 1 ? 8000 : 16000, i == 2 ? 2 : 1, seed++);
        tenantOfDigest.put(write(drop.resolve(tenant + "/2026/11/25/call-" + i + ".wav"), wav), tenant);
      }
    }
    String registered = sha256(Files.readAllBytes(drop.resolve("initech/2026/11/25/call-0.wav")));
    gemini.get().registerTranscript(registered, "Hello, this is Initech support. How can I help? My printer is jammed.");

    write(drop.resolve("acme-sales/bad/corrupt.wav"), SampleAudio.corruptWav());
    write(drop.resolve("acme-sales/bad/truncated.wav"), SampleAudio.truncatedWav(99));
    write(drop.resolve("acme-sales/bad/empty.wav"), new byte[0]);
    write(drop.resolve("globex-support/notes.wav"), "not audio at all".getBytes());
    write(drop.resolve("unknown-tenant/call.wav"), SampleAudio.wav(1, 8000, 1, 500));
    write(drop.resolve("loose.wav"), SampleAudio.wav(1, 8000, 1, 501));
    write(drop.resolve("initech/uploading.wav.part"), SampleAudio.wav(1, 8000, 1, 502));
    write(drop.resolve("initech/.hidden.wav"), SampleAudio.wav(1, 8000, 1, 503));

    IngestOptions options = PipelineOptionsFactory.fromArgs(
        "--tenantConfig=" + tenantConfig, "--dropFolder=" + drop, "--outputDir=" + out,
        "--geminiEndpoint=" + gemini.baseUrl(), "--runId=test").as(IngestOptions.class);
    assertEquals(PipelineResult.State.DONE, IngestPipeline.create(options).run().waitUntilFinish());

    StoreContents store = StoreContents.read(out);
    assertEquals(9, store.calls().size());
    for (JsonNode call : store.calls()) {
      String digest = call.get("AudioSha256").asText();
      assertEquals("stored under its own tenant", tenantOfDigest.get(digest), call.get("TenantId").asText());
      String text = segmentText(store, call.get("CallId").asText());
      if (digest.equals(registered)) {
        assertEquals("Hello, this is Initech support. How can I help? My printer is jammed.", text);
      } else {
        assertThat("transcript came from this call's own audio", text, containsString("sha256:" + digest));
      }
      assertTrue(call.get("InputTokens").asLong() >= 32L * call.get("DurationMillis").asLong() / 1000);
      assertTrue("the file's version is part of its identity", call.get("ObjectGeneration").asLong() > 0);
    }

    Map<String, String> codes = store.deadLetters().stream().collect(Collectors.toMap(
        l -> l.get("SourceUri").asText().substring(drop.toString().length() + 1), l -> l.get("ErrorCode").asText()));
    assertEquals(Map.of(
        "acme-sales/bad/corrupt.wav", "AUDIO_CORRUPT",
        "acme-sales/bad/truncated.wav", "AUDIO_TRUNCATED",
        "acme-sales/bad/empty.wav", "AUDIO_EMPTY",
        "globex-support/notes.wav", "AUDIO_UNSUPPORTED_FORMAT",
        "unknown-tenant/call.wav", "TENANT_UNKNOWN",
        "loose.wav", "PATH_OUTSIDE_TENANT_LAYOUT"), codes);

    // Each call used its own tenant's credentials, and nothing was sent twice.
    List<RecordedRequest> requests = gemini.get().requests();
    assertEquals(9, requests.size());
    for (RecordedRequest request : requests) {
      String tenant = tenantOfDigest.get(request.audioSha256().get(0));
      String expectedKey = tenant.equals("globex-support") ? "vertex:globex-ai-prod" : LocalTenants.KEYS.get(tenant);
      assertEquals(expectedKey, request.key());
      assertEquals(tenant.equals("globex-support") ? "gemini-2.5-pro" : "gemini-2.5-flash", request.model());
    }
  }

  static String segmentText(StoreContents store, String callId) {
    return store.segments().stream()
        .filter(s -> s.get("CallId").asText().equals(callId))
        .sorted(java.util.Comparator.comparingInt(s -> s.get("SegmentIndex").asInt()))
        .map(s -> s.get("Text").asText())
        .collect(Collectors.joining(" "));
  }

  private static String write(Path file, byte[] bytes) throws Exception {
    Files.createDirectories(file.getParent());
    Files.write(file, bytes);
    return sha256(bytes);
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
