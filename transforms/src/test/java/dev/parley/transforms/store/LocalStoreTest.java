package dev.parley.transforms.store;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.model.AudioInfo;
import dev.parley.model.CallRecord;
import dev.parley.model.CrmSync;
import dev.parley.model.DeadLetter;
import dev.parley.model.Transcript;
import dev.parley.model.TranscriptSegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.joda.time.Instant;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class LocalStoreTest {
  @Rule public final transient TestPipeline pipeline = TestPipeline.create();
  @Rule public final transient TemporaryFolder tmp = new TemporaryFolder();

  public static CallRecord record(String callId, int segments) {
    List<TranscriptSegment> list = new ArrayList<>();
    for (int i = 0; i < segments; i++) {
      list.add(TranscriptSegment.of("Speaker " + (i % 2 + 1), i * 1000L, i * 1000L + 900, "line " + i));
    }
    return CallRecord.builder().setTenantId("acme").setCallId(callId).setSourceUri("gs://b/" + callId + ".wav")
        .setAudio(AudioInfo.builder().setFormat("WAV").setCodec("PCM_S16LE").setMimeType("audio/wav")
            .setDurationMillis(segments * 1000L).setSampleRateHz(8000).setChannels(1).build())
        .setTranscript(Transcript.builder().setSegments(list).setLanguage("en-US").setSummary("s")
            .setModel("gemini/gemini-2.5-flash").setInputTokens(64).setOutputTokens(10).build())
        .setEngine("gemini").setStatus(CallRecord.STATUS_TRANSCRIBED)
        .setArrivedAt(Instant.EPOCH).setProcessedAt(Instant.EPOCH).build();
  }

  private static List<JsonNode> rows(Path dir, String table) throws Exception {
    List<JsonNode> rows = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.filter(f -> f.getFileName().toString().startsWith(table + "-run1")).toList()) {
        for (String line : Files.readAllLines(f)) {
          rows.add(new ObjectMapper().readTree(line));
        }
      }
    }
    return rows;
  }

  @Test
  public void writesEveryTableOfTheSpannerSchema() throws Exception {
    Path out = tmp.getRoot().toPath();
    pipeline.apply("Calls", Create.of(record("c1", 3), record("c2", 1)))
        .apply(LocalStore.writeCalls(out.toString(), "run1"));
    pipeline.apply("Syncs", Create.of(CrmSync.builder().setTenantId("acme").setCallId("c1").setCrm("hubspot")
            .setStatus(CrmSync.SYNCED).setExternalId("9001").setCreated(true).setAttempts(3).setSyncedAt(Instant.EPOCH)
            .build()))
        .apply("WriteCrmSync", LocalStore.writeCrmSync(out.toString(), "run1"));
    pipeline.apply("Letters", Create.of(DeadLetter.builder().setStage("ProbeAudio").setErrorCode("AUDIO_CORRUPT")
            .setMessage("bad").setFailedAt(Instant.EPOCH).setPayloadType("AudioArrival").setPayload("{}").build()))
        .apply(LocalStore.writeDeadLetters(out.toString(), "run1"));
    pipeline.run().waitUntilFinish();

    List<JsonNode> calls = rows(out, "calls");
    assertEquals(2, calls.size());
    assertEquals(4, rows(out, "segments").size());
    JsonNode c1 = calls.stream().filter(c -> c.get("CallId").asText().equals("c1")).findFirst().orElseThrow();
    assertEquals(3, c1.get("SegmentCount").asInt());
    assertEquals("acme", c1.get("TenantId").asText());
    assertEquals(64, c1.get("InputTokens").asLong());
    List<JsonNode> usage = rows(out, "tenant_usage");
    assertEquals(2, usage.size());
    assertEquals("1970-01-01", usage.get(0).get("UsageDate").asText());
    JsonNode sync = rows(out, "crm_sync").get(0);
    assertEquals("9001", sync.get("ExternalId").asText());
    assertTrue("a null column is written as null, as Spanner holds it", sync.get("ErrorCode").isNull());
    List<JsonNode> letters = rows(out, "dead_letters");
    assertEquals("AUDIO_CORRUPT", letters.get(0).get("ErrorCode").asText());
  }
}
