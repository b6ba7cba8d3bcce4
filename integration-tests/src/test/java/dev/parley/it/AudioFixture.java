package dev.parley.it;

import dev.parley.model.AudioArrival;
import dev.parley.model.CallRecord;
import dev.parley.model.DeadLetter;
import dev.parley.tenant.TenantConfigSpec;
import dev.parley.transforms.CallIds;
import dev.parley.transforms.PrepareAudio;
import dev.parley.transforms.ProbeAudio;
import dev.parley.transforms.StitchChunks;
import dev.parley.transforms.Transcribe;
import dev.parley.transforms.transcribe.ModelEndpoints;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.joda.time.Instant;

/**
 * The audio stages as ProcessCalls chains them (ProbeAudio, PrepareAudio, Transcribe, StitchChunks) on
 * recordings already in a tenant's hands, with two tenants: {@code acme} on the Gemini API, channels mixed,
 * and {@code initech} on the Gemini API with its agent on the left channel and its customer on the right.
 */
final class AudioFixture {
  private AudioFixture() {}

  static TenantConfigSpec tenants(Path dir) throws Exception {
    Files.writeString(dir.resolve("key"), "audio-test-key");
    Files.writeString(dir.resolve("t.yaml"), """
        defaults:
          enabled: true
          transcription:
            engine: gemini
            model: gemini-2.5-flash
            prompt: "Transcribe. ${speakerLabels}"
            maxInlineBytes: 50000000
            maxAudioSeconds: 7200
            gemini: {backend: gemini-api, apiKey: "file://%s"}
          quota: {requestsPerMinute: 60000, burst: 1000, weight: 1, overDailyCap: dead-letter}
          crm: {kind: none}
        tenants:
          acme: {displayName: Acme}
          initech:
            displayName: Initech
            transcription: {channels: {left: agent, right: customer}}
          globex:
            displayName: Globex
            transcription: {gemini: {backend: vertex-ai, project: globex-ai-prod, location: europe-west4}}
        """.formatted(dir.resolve("key")));
    return new TenantConfigSpec(List.of(dir.toString()), java.time.Duration.ofHours(1));
  }

  static AudioArrival arrival(String tenant, Path file) throws Exception {
    return AudioArrival.builder().setCallId(CallIds.forObject(file.toString(), 1)).setTenantId(tenant)
        .setSourceUri(file.toString()).setSizeBytes(Files.size(file)).setEventTime(Instant.EPOCH).build();
  }

  /** Stored calls and every dead letter of the chain. */
  record Outputs(PCollection<CallRecord> calls, PCollection<DeadLetter> deadLetters) {}

  static Outputs run(Pipeline pipeline, TenantConfigSpec tenants, Path workDir, String geminiUrl,
      List<AudioArrival> arrivals) {
    List<PCollection<DeadLetter>> failures = new ArrayList<>();
    PCollection<CallRecord> calls = pipeline.apply(Create.of(arrivals))
        .apply(ProbeAudio.using(tenants)).failuresTo(failures)
        .apply(PrepareAudio.using(tenants, workDir.toString())).failuresTo(failures)
        .apply(Transcribe.using(tenants, ModelEndpoints.googleDefault().withGemini(geminiUrl))
            .withMaxAttempts(2).withBackoff(org.joda.time.Duration.millis(10), org.joda.time.Duration.millis(20)))
        .failuresTo(failures)
        .apply(StitchChunks.byCall()).failuresTo(failures);
    return new Outputs(calls, PCollectionList.of(failures).apply(Flatten.pCollections()));
  }
}
