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
 * recordings already in a tenant's hands: {@code acme} on the Gemini API, channels mixed, {@code globex} on
 * Vertex AI, and {@code initech} on the Gemini API with its agent on the left channel and its customer on the right.
 */
final class AudioFixture {
  private AudioFixture() {}

  /** The tenants of {@link TranscribeFixture}, with longer calls allowed and a tenant whose channels have roles. */
  static TenantConfigSpec tenants(Path dir) throws Exception {
    TenantConfigSpec spec = TranscribeFixture.tenants(dir, 50_000_000);
    Files.writeString(dir.resolve("u-audio.yaml"), """
        defaults:
          transcription: {maxAudioSeconds: 7200}
        tenants:
          initech:
            displayName: Initech
            transcription: {channels: {left: agent, right: customer}}
        """);
    return spec;
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
