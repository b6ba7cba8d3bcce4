package dev.parley.it;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;

import dev.parley.model.CallRecord;
import dev.parley.model.DeadLetter;
import dev.parley.model.ProbedAudio;
import dev.parley.model.TranscriptSegment;
import dev.parley.tenant.TenantConfigSpec;
import dev.parley.tools.SampleAudio;
import dev.parley.transforms.Transcribe;
import dev.parley.transforms.transcribe.ModelEndpoints;
import io.grpc.Status;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.WithFailures;
import org.apache.beam.sdk.values.PCollection;
import org.joda.time.Duration;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** Speech-to-Text v2 as a tenant's engine, through the real google-cloud-speech client against a gRPC stand-in. */
public class SpeechToTextTest {
  @Rule public final transient TestPipeline pipeline = TestPipeline.create();
  @Rule public final transient TemporaryFolder tmp = new TemporaryFolder();

  private SpeechStandIn speech;
  private Path gcs;
  private TenantConfigSpec tenants;

  @Before
  public void start() throws Exception {
    gcs = tmp.newFolder("gcs").toPath();
    speech = new SpeechStandIn(gcs);
    Path dir = tmp.newFolder("tenants").toPath();
    Files.writeString(dir.resolve("t.yaml"), """
        defaults:
          enabled: true
          transcription:
            engine: speech-to-text
            model: chirp_3
            prompt: unused by Speech-to-Text
            languageHints: [en-US]
            maxInlineBytes: 1000000
            maxAudioSeconds: 3600
            speech: {project: globex-speech, location: europe-west4, maxSpeakers: 3}
          quota: {requestsPerMinute: 6000, burst: 100, weight: 1, overDailyCap: defer}
          crm: {kind: none}
        tenants:
          globex: {displayName: Globex}
        models:
          chirp_3: {pricing: {audioUsdPerMinute: 0.016}}
        """);
    tenants = new TenantConfigSpec(List.of(dir.toString()), java.time.Duration.ofHours(1));
  }

  @After
  public void stop() {
    speech.close();
  }

  private WithFailures.Result<PCollection<CallRecord>, DeadLetter> run(ProbedAudio... calls) {
    return pipeline.apply(Create.of(List.of(calls))).apply(Transcribe.using(tenants,
            ModelEndpoints.googleDefault().withSpeech(speech.hostPort()))
        .withMaxAttempts(3).withBackoff(Duration.millis(10), Duration.millis(20)));
  }

  @Test
  public void batchRecognizesCloudStorageRecordingsIntoDiarizedSegments() throws Exception {
    byte[] wav = SampleAudio.wav(6, 8000, 1, 1);
    Files.createDirectories(gcs.resolve("globex-contact-center"));
    Files.write(gcs.resolve("globex-contact-center/call.wav"), wav);
    speech.failNext(Status.UNAVAILABLE);
    ProbedAudio call = TranscribeFixture.call("globex", "gs://globex-contact-center/call.wav", wav, 6, null);

    PCollection<CallRecord> records = run(call).output();
    PAssert.thatSingleton(records).satisfies(r -> {
      List<TranscriptSegment> segments = r.getTranscript().getSegments();
      assertEquals(2, segments.size());
      assertEquals("Speaker 1", segments.get(0).getSpeaker());
      assertEquals("Hello from Parley", segments.get(0).getText());
      assertEquals("Speaker 2", segments.get(1).getSpeaker());
      assertThat(segments.get(1).getText(), containsString("sha256:" + EndToEndTest.sha256(wav)));
      assertEquals(6000, segments.get(1).getEndMillis());
      assertEquals("speech-to-text", r.getEngine());
      assertEquals("speech-to-text/chirp_3", r.getTranscript().getModel());
      assertEquals(0.016 * 6 / 60, r.getEstimatedCostUsd(), 1e-9);
      assertNull("the worker never read gs:// audio", r.getAudioSha256());
      return null;
    });
    pipeline.run().waitUntilFinish();

    List<SpeechStandIn.Seen> seen = speech.seen();
    assertEquals("one UNAVAILABLE, then success: gax made no retries of its own", 2, seen.size());
    SpeechStandIn.Seen request = seen.get(1);
    assertEquals("batchRecognize", request.method());
    assertEquals("projects/globex-speech/locations/europe-west4/recognizers/_", request.recognizer());
    assertEquals("chirp_3", request.config().getModel());
    assertEquals(List.of("en-US"), request.config().getLanguageCodesList());
    assertEquals(3, request.config().getFeatures().getDiarizationConfig().getMaxSpeakerCount());
    assertThat("the operation was polled to completion", speech.polls(), greaterThanOrEqualTo(1));
  }

  @Test
  public void recognizesShortLocalRecordingsInlineAndRefusesLongOnes() throws Exception {
    Path dir = tmp.getRoot().toPath();
    byte[] shortWav = SampleAudio.wav(4, 8000, 1, 2);
    WithFailures.Result<PCollection<CallRecord>, DeadLetter> result = run(
        TranscribeFixture.localCall(dir, "globex", "short.wav", shortWav, 4),
        TranscribeFixture.localCall(dir, "globex", "long.wav", SampleAudio.wav(61, 8000, 1, 3), 61));
    PAssert.thatSingleton(result.output()).satisfies(r -> {
      assertEquals(EndToEndTest.sha256(shortWav), r.getAudioSha256());
      return null;
    });
    PAssert.thatSingleton(result.failures()).satisfies(l -> {
      assertEquals("AUDIO_TOO_LARGE", l.getErrorCode());
      return null;
    });
    pipeline.run().waitUntilFinish();
    assertEquals(1, speech.seen().size());
    assertEquals("recognize", speech.seen().get(0).method());
  }

  @Test
  public void refusedAudioIsDeadLetteredWithTheServicesMessage() throws Exception {
    speech.failNext(Status.INVALID_ARGUMENT.withDescription("bad audio"));
    PCollection<DeadLetter> failures = run(TranscribeFixture.localCall(
        tmp.getRoot().toPath(), "globex", "bad.wav", SampleAudio.wav(1, 8000, 1, 4), 1)).failures();
    PAssert.thatSingleton(failures).satisfies(l -> {
      assertEquals("MODEL_BAD_REQUEST", l.getErrorCode());
      assertEquals(1, l.getAttempts());
      assertThat(l.getMessage(), containsString("bad audio"));
      return null;
    });
    pipeline.run().waitUntilFinish();
  }
}
