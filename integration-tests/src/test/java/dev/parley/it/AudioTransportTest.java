package dev.parley.it;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;

import dev.parley.emulator.gemini.GeminiEmulatorSettings;
import dev.parley.emulator.gemini.RecordedRequest;
import dev.parley.model.CallRecord;
import dev.parley.model.DeadLetter;
import dev.parley.model.ProbedAudio;
import dev.parley.tenant.TenantConfigSpec;
import dev.parley.tools.SampleAudio;
import dev.parley.transforms.Transcribe;
import dev.parley.transforms.transcribe.ModelEndpoints;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.WithFailures;
import org.apache.beam.sdk.values.PCollection;
import org.joda.time.Duration;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** How the audio reaches Gemini: inline, through the Files API, or as a gs:// reference on Vertex AI. */
public class AudioTransportTest {
  @Rule public final transient TestPipeline pipeline = TestPipeline.create();
  @Rule public final transient TemporaryFolder tmp = new TemporaryFolder();
  @Rule public final transient GeminiEmulatorRule gemini = new GeminiEmulatorRule();

  private WithFailures.Result<PCollection<CallRecord>, DeadLetter> transcribe(long maxInlineBytes, ProbedAudio... calls)
      throws Exception {
    TenantConfigSpec tenants = TranscribeFixture.tenants(tmp.newFolder("tenants").toPath(), maxInlineBytes);
    return pipeline.apply(Create.of(List.of(calls))).apply(Transcribe.using(tenants, ModelEndpoints.googleDefault().withGemini(gemini.baseUrl()))
        .withMaxAttempts(2).withBackoff(Duration.millis(10), Duration.millis(20)));
  }

  @Test
  public void largeRecordingsAreUploadedThroughTheFilesApiAndDeletedAfterwards() throws Exception {
    byte[] wav = SampleAudio.wav(20, 16000, 1, 1); // 640 KB, over the 100 KB inline limit
    // Exactly 8 MiB: the SDK's upload loop fails on a multiple of its chunk size unless Parley guards it.
    byte[] exact = SampleAudio.wavFile(new byte[8 * 1024 * 1024 - 44], 16000, 1, 16, 1);
    Path dir = tmp.getRoot().toPath();
    WithFailures.Result<PCollection<CallRecord>, DeadLetter> result = transcribe(100_000,
        TranscribeFixture.localCall(dir, "acme", "long.wav", wav, 20),
        TranscribeFixture.localCall(dir, "acme", "exact.wav", exact, 262.1));
    PAssert.that(result.failures()).empty();
    PAssert.that(result.output()).satisfies(records -> {
      for (CallRecord r : records) {
        assertThat(r.getTranscript().getSegments().get(0).getText(), containsString("sha256:" + r.getAudioSha256()));
      }
      return null;
    });
    pipeline.run().waitUntilFinish();

    List<RecordedRequest> requests = gemini.get().requests();
    assertEquals(2, requests.size());
    for (RecordedRequest request : requests) {
      assertThat(request.audioSources().get(0), containsString("files/"));
    }
    assertEquals(EndToEndTest.sha256(wav), requests.stream().filter(r -> r.audioBytes() == wav.length)
        .findFirst().orElseThrow().audioSha256().get(0));
    assertEquals("uploads are deleted after use", 2, gemini.get().deletedFiles());
    assertEquals(0, gemini.get().liveFiles());
  }

  @Test
  public void vertexReadsLargeRecordingsFromCloudStorageItself() throws Exception {
    Path gcs = tmp.newFolder("gcs").toPath();
    gemini.get().settings(GeminiEmulatorSettings.builder().gcsRoot(gcs).build());
    byte[] wav = SampleAudio.wav(20, 16000, 1, 2);
    Files.createDirectories(gcs.resolve("globex-contact-center/recordings"));
    Files.write(gcs.resolve("globex-contact-center/recordings/call.wav"), wav);
    ProbedAudio call = TranscribeFixture.call("globex", "gs://globex-contact-center/recordings/call.wav", wav, 20, null);

    PCollection<CallRecord> records = transcribe(100_000, call).output();
    PAssert.thatSingleton(records).satisfies(r -> {
      assertNull("the worker never read the audio", r.getAudioSha256());
      return null;
    });
    pipeline.run().waitUntilFinish();

    RecordedRequest request = gemini.get().requests().get(0);
    assertEquals("gs://globex-contact-center/recordings/call.wav", request.audioSources().get(0));
    assertEquals(EndToEndTest.sha256(wav), request.audioSha256().get(0));
    assertEquals("vertex-ai", request.backend());
  }

  @Test
  public void aLocalRecordingTooLargeForVertexIsRefusedBeforeAnyCall() throws Exception {
    byte[] wav = SampleAudio.wav(20, 16000, 1, 3);
    PCollection<DeadLetter> failures =
        transcribe(100_000, TranscribeFixture.localCall(tmp.getRoot().toPath(), "globex", "big.wav", wav, 20)).failures();
    PAssert.thatSingleton(failures).satisfies(l -> {
      assertEquals("AUDIO_TOO_LARGE", l.getErrorCode());
      return null;
    });
    pipeline.run().waitUntilFinish();
    assertEquals(0, gemini.get().requests().size());
  }

  @Test
  public void aRequestOverTheServicesSizeLimitIsDeadLetteredAs413() throws Exception {
    gemini.get().settings(GeminiEmulatorSettings.builder().maxRequestBytes(200_000).build());
    byte[] wav = SampleAudio.wav(10, 16000, 1, 4); // 320 KB inline, 427 KB as base64
    PCollection<DeadLetter> failures =
        transcribe(5_000_000, TranscribeFixture.localCall(tmp.getRoot().toPath(), "acme", "big.wav", wav, 10)).failures();
    PAssert.thatSingleton(failures).satisfies(l -> {
      assertEquals("MODEL_PAYLOAD_TOO_LARGE", l.getErrorCode());
      assertEquals(1, l.getAttempts());
      assertThat(l.getMessage(), containsString("Request payload size exceeds the limit"));
      return null;
    });
    pipeline.run().waitUntilFinish();
  }
}
