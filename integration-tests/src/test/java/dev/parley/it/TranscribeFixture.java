package dev.parley.it;

import dev.parley.model.AudioArrival;
import dev.parley.model.AudioInfo;
import dev.parley.model.CallMetadata;
import dev.parley.model.ProbedAudio;
import dev.parley.tenant.TenantConfigSpec;
import dev.parley.transforms.CallIds;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.joda.time.Instant;

/** Tenants and calls for tests of the Transcribe stage: one Gemini API tenant, one Vertex AI tenant. */
final class TranscribeFixture {
  private TranscribeFixture() {}

  /** Writes the tenant config to {@code dir}; {@code maxInlineBytes} applies to both tenants. */
  static TenantConfigSpec tenants(Path dir, long maxInlineBytes) throws Exception {
    Files.writeString(dir.resolve("acme.key"), "acme-secret-key-123");
    Files.writeString(dir.resolve("t.yaml"), """
        defaults:
          enabled: true
          transcription:
            engine: gemini
            model: gemini-2.5-flash
            prompt: "Transcribe. ${speakerLabels} Languages: ${languageHints}."
            languageHints: [en-US, es-US]
            maxInlineBytes: %d
            maxAudioSeconds: 3600
            gemini: {backend: gemini-api, apiKey: "file://%s"}
          quota: {requestsPerMinute: 6000, burst: 100, weight: 1, overDailyCap: dead-letter}
          crm: {kind: none}
        tenants:
          acme: {displayName: Acme}
          globex:
            displayName: Globex
            transcription:
              model: gemini-2.5-pro
              gemini: {backend: vertex-ai, project: globex-ai-prod, location: europe-west4}
        models:
          gemini-2.5-flash:
            pricing: {inputUsdPerMillionTokens: 1.00, outputUsdPerMillionTokens: 2.50}
        """.formatted(maxInlineBytes, dir.resolve("acme.key")));
    return new TenantConfigSpec(List.of(dir.toString()), java.time.Duration.ofHours(1));
  }

  /** A call whose audio is {@code wav}, stored at {@code location} (a local path or a gs:// URI). */
  static ProbedAudio call(String tenant, String location, byte[] wav, double seconds, CallMetadata metadata) {
    AudioArrival arrival = AudioArrival.builder().setCallId(CallIds.forObject(location, 1)).setTenantId(tenant)
        .setSourceUri(location).setSizeBytes(wav.length).setEventTime(Instant.EPOCH).setMetadata(metadata).build();
    return ProbedAudio.of(arrival, AudioInfo.builder().setFormat("WAV").setCodec("PCM_S16LE").setMimeType("audio/wav")
        .setDurationMillis(Math.round(seconds * 1000)).setSampleRateHz(8000).setChannels(1).setBitsPerSample(16).build());
  }

  /** Writes {@code wav} under {@code dir} and returns the call for it. */
  static ProbedAudio localCall(Path dir, String tenant, String name, byte[] wav, double seconds) throws Exception {
    Path file = dir.resolve(name);
    Files.write(file, wav);
    return call(tenant, file.toString(), wav, seconds, null);
  }
}
