package dev.parley.it;

import dev.parley.model.AudioInfo;
import dev.parley.model.CallMetadata;
import dev.parley.model.CallRecord;
import dev.parley.model.Transcript;
import dev.parley.model.TranscriptSegment;
import dev.parley.tenant.TenantConfigSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.joda.time.Instant;

/** Transcribed calls and a tenant config for the sink tests: acme (shared database) and globex (its own). */
final class SinkFixtures {
  static final String GLOBEX_DATABASE = "projects/globex-data/instances/globex-eu/databases/parley_calls";

  private SinkFixtures() {}

  /** Two tenants; {@code crm} is YAML for each tenant's {@code crm} section, or "{kind: none}". */
  static TenantConfigSpec tenants(Path dir, String acmeCrm, String globexCrm) throws IOException {
    Files.writeString(dir.resolve("tenants.yaml"), """
        defaults:
          enabled: true
          transcription:
            engine: gemini
            model: gemini-2.5-flash
            prompt: Transcribe.
            maxInlineBytes: 5000000
            maxAudioSeconds: 3600
            gemini: {backend: vertex-ai, project: parley-test, location: us-central1}
          quota: {requestsPerMinute: 6000, burst: 100, weight: 1, overDailyCap: dead-letter}
          crm: {kind: none}
        tenants:
          acme:
            displayName: Acme
            crm: %s
          globex:
            displayName: Globex
            spanner: {project: globex-data, instance: globex-eu, database: parley_calls}
            crm: %s
        """.formatted(acmeCrm, globexCrm));
    return new TenantConfigSpec(List.of(dir.toString()), java.time.Duration.ofHours(1));
  }

  static CallRecord call(String tenant, String callId, int segments) {
    List<TranscriptSegment> list = new ArrayList<>();
    for (int i = 0; i < segments; i++) {
      list.add(TranscriptSegment.of(i % 2 == 0 ? "Agent" : "Customer", i * 2000L, i * 2000L + 1800,
          "turn " + i + " of call " + callId));
    }
    return CallRecord.builder().setTenantId(tenant).setCallId(callId).setSourceUri("gs://drop/" + tenant + "/" + callId + ".wav")
        .setObjectGeneration(7L)
        .setMetadata(CallMetadata.builder().setDirection(CallMetadata.INBOUND).setFromNumber("+14155550123")
            .setToNumber("+14155559876").setParticipantEmails(List.of("pat@customer.example")).build())
        .setAudio(AudioInfo.builder().setFormat("WAV").setCodec("PCM_S16LE").setMimeType("audio/wav")
            .setDurationMillis(segments * 2000L).setSampleRateHz(8000).setChannels(1).build())
        .setTranscript(Transcript.builder().setSegments(list).setLanguage("en-US")
            .setSummary("Pat asked for a quote for fifty seats.").setActionItems(List.of("Send the quote"))
            .setModel("gemini/gemini-2.5-flash").setInputTokens(64L * segments).setOutputTokens(20).build())
        .setEngine("gemini").setStatus(CallRecord.STATUS_TRANSCRIBED).setEstimatedCostUsd(0.0012)
        .setArrivedAt(Instant.parse("2026-11-25T10:15:00Z")).setProcessedAt(Instant.parse("2026-11-25T10:16:00Z"))
        .build();
  }
}
