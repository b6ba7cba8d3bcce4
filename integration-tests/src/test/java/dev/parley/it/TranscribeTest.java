package dev.parley.it;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.junit.Assert.assertEquals;

import dev.parley.emulator.gemini.Fault;
import dev.parley.emulator.gemini.RecordedRequest;
import dev.parley.model.CallMetadata;
import dev.parley.model.CallRecord;
import dev.parley.model.DeadLetter;
import dev.parley.model.ProbedAudio;
import dev.parley.tenant.TenantConfigSpec;
import dev.parley.tools.SampleAudio;
import dev.parley.transforms.Transcribe;
import dev.parley.transforms.transcribe.ModelEndpoints;
import java.nio.file.Files;
import java.util.List;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.WithFailures;
import org.apache.beam.sdk.values.PCollection;
import org.joda.time.Duration;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** The Transcribe stage through the real google-genai SDK against the emulator: every answer the service gives. */
public class TranscribeTest {
  @Rule public final transient TestPipeline pipeline = TestPipeline.create();
  @Rule public final transient TemporaryFolder tmp = new TemporaryFolder();
  @Rule public final transient GeminiEmulatorRule gemini = new GeminiEmulatorRule();

  private TenantConfigSpec tenants;

  @Before
  public void writeTenants() throws Exception {
    tenants = TranscribeFixture.tenants(tmp.newFolder("tenants").toPath(), 5_000_000);
  }

  private ProbedAudio call(String tenant, long seed) throws Exception {
    return TranscribeFixture.localCall(tmp.getRoot().toPath(), tenant, tenant + "-" + seed + ".wav",
        SampleAudio.wav(3, 8000, 1, seed), 3);
  }

  private Transcribe transcribe() {
    return Transcribe.using(tenants, ModelEndpoints.googleDefault().withGemini(gemini.baseUrl()))
        .withMaxAttempts(3)
        .withBackoff(Duration.millis(20), Duration.millis(50));
  }

  private WithFailures.Result<PCollection<CallRecord>, DeadLetter> run(Transcribe transform, ProbedAudio... calls) {
    return pipeline.apply(Create.of(List.of(calls))).apply(transform);
  }

  private static void assertOnlyFailure(PCollection<DeadLetter> failures, String code, int attempts, String text) {
    PAssert.thatSingleton(failures).satisfies(letter -> {
      assertEquals(code, letter.getErrorCode());
      assertEquals(attempts, letter.getAttempts());
      assertEquals("Transcribe", letter.getStage());
      assertThat(letter.getMessage(), containsString(text));
      return null;
    });
  }

  @Test
  public void callsBothBackendsWithTheirOwnShape() throws Exception {
    WithFailures.Result<PCollection<CallRecord>, DeadLetter> result = run(transcribe(), call("acme", 1), call("globex", 2));
    PAssert.that(result.output()).satisfies(records -> {
      for (CallRecord record : records) {
        assertThat(record.getTranscript().getSegments().get(0).getText(), containsString("sha256:" + record.getAudioSha256()));
        assertThat("32 tokens per second of audio, plus the prompt", record.getTranscript().getInputTokens(),
            greaterThanOrEqualTo(96L));
      }
      return null;
    });
    PAssert.that(result.failures()).empty();
    pipeline.run().waitUntilFinish();

    List<RecordedRequest> requests = gemini.get().requests();
    assertEquals(2, requests.size());
    RecordedRequest api = requests.stream().filter(r -> r.backend().equals("gemini-api")).findFirst().orElseThrow();
    assertEquals("acme-secret-key-123", api.key());
    assertEquals("gemini-2.5-flash", api.model());
    RecordedRequest vertex = requests.stream().filter(r -> r.backend().equals("vertex-ai")).findFirst().orElseThrow();
    assertEquals("vertex:globex-ai-prod", vertex.key());
    assertEquals("gemini-2.5-pro", vertex.model());
  }

  @Test
  public void waitsAsRetryInfoAsksAndReportsTheWaitAsThrottling() throws Exception {
    gemini.get().scriptFaults(Fault.rateLimited(1500), Fault.rateLimited(1500));
    PCollection<CallRecord> records = run(transcribe(), call("acme", 3)).output();
    PAssert.thatSingleton(records).satisfies(r -> null);
    PipelineResult result = pipeline.run();
    result.waitUntilFinish();

    List<RecordedRequest> requests = gemini.get().requests();
    assertEquals("the SDK made no retries of its own: one request per attempt", 3, requests.size());
    long firstGap = requests.get(1).time().toEpochMilli() - requests.get(0).time().toEpochMilli();
    long secondGap = requests.get(2).time().toEpochMilli() - requests.get(1).time().toEpochMilli();
    assertThat(firstGap, greaterThanOrEqualTo(1500L));
    assertThat(secondGap, greaterThanOrEqualTo(1500L));
    MetricResult<Long> throttled = result.metrics().queryMetrics(MetricsFilter.builder()
            .addNameFilter(MetricNameFilter.named(Metrics.THROTTLE_TIME_NAMESPACE, Metrics.THROTTLE_TIME_COUNTER_NAME)).build())
        .getCounters().iterator().next();
    assertThat(throttled.getAttempted(), greaterThanOrEqualTo(3000L));
  }

  @Test
  public void aRateLimitWithoutRetryInfoBacksOff() throws Exception {
    gemini.get().scriptFaults(Fault.rateLimited(0));
    PCollection<CallRecord> records = run(transcribe(), call("globex", 15)).output();
    PAssert.thatSingleton(records).satisfies(r -> null);
    pipeline.run().waitUntilFinish();
    List<RecordedRequest> requests = gemini.get().requests();
    assertEquals(2, requests.size());
    long gap = requests.get(1).time().toEpochMilli() - requests.get(0).time().toEpochMilli();
    assertThat("waited at least the backoff's lower bound (20 ms less 50% jitter)", gap, greaterThanOrEqualTo(10L));
  }

  @Test
  public void aDailyQuotaIsNotRetried() throws Exception {
    gemini.get().scriptFaults(Fault.of(Fault.Kind.DAILY_QUOTA));
    assertOnlyFailure(run(transcribe(), call("acme", 4)).failures(), "QUOTA_EXHAUSTED_DAILY", 1,
        "GenerateRequestsPerDayPerProjectPerModel");
    pipeline.run().waitUntilFinish();
    assertEquals(1, gemini.get().requests().size());
  }

  @Test
  public void serverErrorsAreRetriedWithBackoffThenDeadLettered() throws Exception {
    gemini.get().scriptFaults(Fault.of(Fault.Kind.UNAVAILABLE), Fault.of(Fault.Kind.INTERNAL), Fault.of(Fault.Kind.UNAVAILABLE));
    assertOnlyFailure(run(transcribe(), call("acme", 5)).failures(), "MODEL_UNAVAILABLE", 3, "HTTP 503");
    pipeline.run().waitUntilFinish();
    assertEquals(3, gemini.get().requests().size());
  }

  @Test
  public void aServerErrorThenSuccessStoresTheCall() throws Exception {
    gemini.get().scriptFaults(Fault.of(Fault.Kind.INTERNAL));
    WithFailures.Result<PCollection<CallRecord>, DeadLetter> result = run(transcribe(), call("acme", 6));
    PAssert.thatSingleton(result.output()).satisfies(r -> null);
    PAssert.that(result.failures()).empty();
    pipeline.run().waitUntilFinish();
    assertEquals(2, gemini.get().requests().size());
  }

  @Test
  public void aMalformedAnswerIsAskedOnceMoreThenDeadLetteredWithTheRawText() throws Exception {
    gemini.get().scriptFaults(Fault.of(Fault.Kind.MALFORMED), Fault.of(Fault.Kind.TRUNCATED));
    assertOnlyFailure(run(transcribe(), call("acme", 7)).failures(), "MODEL_RESPONSE_INVALID", 2,
        "cut off at the output token limit; the answer is not valid JSON");
    pipeline.run().waitUntilFinish();
    assertEquals(2, gemini.get().requests().size());
  }

  @Test
  public void aBadRequestIsDeadLetteredAtOnceWithTheServicesMessage() throws Exception {
    gemini.get().scriptFaults(Fault.of(Fault.Kind.BAD_REQUEST));
    assertOnlyFailure(run(transcribe(), call("acme", 8)).failures(), "MODEL_BAD_REQUEST", 1,
        "Request contains an invalid argument.");
    pipeline.run().waitUntilFinish();
  }

  @Test
  public void aHungRequestTimesOutAndIsRetried() throws Exception {
    gemini.get().settings(gemini.get().settings().toBuilder().timeoutHang(5_000).build());
    gemini.get().scriptFaults(Fault.of(Fault.Kind.TIMEOUT));
    WithFailures.Result<PCollection<CallRecord>, DeadLetter> result =
        run(transcribe().withRequestTimeout(Duration.millis(500)), call("acme", 9));
    PAssert.thatSingleton(result.output()).satisfies(r -> null);
    pipeline.run().waitUntilFinish();
    assertEquals(2, gemini.get().requests().size());
  }

  @Test
  public void aMissingSecretIsDeadLetteredWithoutCallingTheModel() throws Exception {
    Files.delete(tmp.getRoot().toPath().resolve("tenants/acme.key"));
    assertOnlyFailure(run(transcribe(), call("acme", 10)).failures(), "SECRET_UNAVAILABLE", 1, "file://");
    pipeline.run().waitUntilFinish();
    assertEquals(0, gemini.get().requests().size());
  }

  @Test
  public void pricesEachCallFromTheModelTable() throws Exception {
    PCollection<CallRecord> records = run(transcribe(), call("acme", 11), call("globex", 12)).output();
    PAssert.that(records).satisfies(all -> {
      for (CallRecord r : all) {
        if (r.getTenantId().equals("acme")) {
          double expected = (r.getTranscript().getInputTokens() * 1.00 + r.getTranscript().getOutputTokens() * 2.50) / 1e6;
          assertEquals(expected, r.getEstimatedCostUsd(), 1e-12);
        } else {
          assertEquals("gemini-2.5-pro has no price in this config", null, r.getEstimatedCostUsd());
        }
      }
      return null;
    });
    pipeline.run().waitUntilFinish();
  }

  @Test
  public void labelsSpeakersByRoleOnlyWhenTheMetadataSaysWhoIsWho() throws Exception {
    byte[] wav = SampleAudio.wav(2, 8000, 1, 13);
    Files.write(tmp.getRoot().toPath().resolve("known.wav"), wav);
    ProbedAudio known = TranscribeFixture.call("acme", tmp.getRoot() + "/known.wav", wav, 2,
        CallMetadata.builder().setAgent("dana@acme.example").setDirection(CallMetadata.INBOUND).build());
    run(transcribe(), known, call("acme", 14));
    pipeline.run().waitUntilFinish();

    List<RecordedRequest> requests = gemini.get().requests();
    String knownPrompt = requests.stream().filter(r -> r.audioSha256().get(0).equals(sha256(wav)))
        .findFirst().orElseThrow().prompt();
    String unknownPrompt = requests.stream().filter(r -> !r.audioSha256().get(0).equals(sha256(wav)))
        .findFirst().orElseThrow().prompt();
    assertThat(knownPrompt, containsString("\"Agent\" (the company's representative)"));
    assertThat(knownPrompt, containsString("The customer called the agent."));
    assertThat(unknownPrompt, containsString("\"Speaker 1\", \"Speaker 2\""));
    assertThat(unknownPrompt, containsString("Languages: en-US, es-US."));
    assertThat(unknownPrompt, containsString("between 0 and 3000"));
    assertThat(knownPrompt, containsString("between 0 and 2000"));
    assertEquals("the template asked for the labels: not repeated", 1, knownPrompt.split("\"Agent\"", -1).length - 1);
  }

  @Test
  public void throttlesLocallyWhenTheServiceRefusesMostRequests() throws Exception {
    gemini.get().settings(gemini.get().settings().toBuilder().faults(0, 0, 1.0, 0, 0).build());
    ProbedAudio[] calls = new ProbedAudio[12];
    for (int i = 0; i < calls.length; i++) {
      calls[i] = call("acme", 100 + i);
    }
    PCollection<DeadLetter> failures = run(transcribe().withMaxAttempts(4), calls).failures();
    PAssert.that(failures).satisfies(all -> {
      int count = 0;
      for (DeadLetter letter : all) {
        assertEquals("MODEL_UNAVAILABLE", letter.getErrorCode());
        count++;
      }
      assertEquals(12, count);
      return null;
    });
    PipelineResult result = pipeline.run();
    result.waitUntilFinish();
    long rejected = result.metrics().queryMetrics(MetricsFilter.builder()
            .addNameFilter(MetricNameFilter.named("parley.Transcribe", "locally_rejected/acme")).build())
        .getCounters().iterator().next().getAttempted();
    assertThat("some attempts were not sent", rejected, greaterThanOrEqualTo(1L));
    assertEquals("every attempt was either sent or rejected locally", 12 * 4,
        gemini.get().requests().size() + rejected);
  }

  private static String sha256(byte[] bytes) {
    return EndToEndTest.sha256(bytes);
  }
}
