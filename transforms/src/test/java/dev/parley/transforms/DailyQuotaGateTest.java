package dev.parley.transforms;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;

import dev.parley.model.AudioArrival;
import dev.parley.model.AudioInfo;
import dev.parley.model.DeadLetter;
import dev.parley.model.ProbedAudio;
import dev.parley.tenant.TenantConfigSpec;
import dev.parley.transforms.admission.AdmissionBackend;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.transforms.Count;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.WithFailures;
import org.apache.beam.sdk.values.PCollection;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class DailyQuotaGateTest {
  @Rule public final transient TestPipeline pipeline = TestPipeline.create();
  @Rule public final transient TemporaryFolder tmp = new TemporaryFolder();

  /** Tenants with a two-minute daily cap; the ids are this test's own, since daily counts are per JVM. */
  private TenantConfigSpec tenants() throws Exception {
    return TestTenants.write(tmp.getRoot().toPath(), TestTenants.YAML
        + "  gate-dl:\n    displayName: Gate DL\n    quota: {audioMinutesPerDay: 2, overDailyCap: dead-letter}\n"
        + "  gate-defer:\n    displayName: Gate Defer\n    quota: {audioMinutesPerDay: 2, overDailyCap: defer}\n"
        + "  gate-stream:\n    displayName: Gate Stream\n    quota: {audioMinutesPerDay: 2, overDailyCap: defer}\n");
  }

  private static ProbedAudio call(String tenant, int i) {
    String uri = "gs://b/" + tenant + "/" + i + ".wav";
    return ProbedAudio.of(AudioArrival.builder().setCallId(CallIds.forObject(uri, 1)).setTenantId(tenant)
            .setSourceUri(uri).setSizeBytes(1).setEventTime(Instant.EPOCH).build(),
        AudioInfo.builder().setFormat("WAV").setCodec("PCM_S16LE").setMimeType("audio/wav")
            .setDurationMillis(50_000).setSampleRateHz(8000).setChannels(1).build());
  }

  @Test
  public void inBatchCallsOverTheCapAreDeadLetteredByPolicy() throws Exception {
    List<ProbedAudio> calls = new ArrayList<>();
    for (int i = 0; i < 4; i++) { // 4 x 50 s: two fit under two minutes
      calls.add(call("gate-dl", i));
      calls.add(call("gate-defer", i));
    }
    WithFailures.Result<PCollection<ProbedAudio>, DeadLetter> result =
        pipeline.apply(Create.of(calls)).apply(DailyQuotaGate.using(tenants(), AdmissionBackend.local()));
    PAssert.thatSingleton(result.output().apply(Count.globally())).isEqualTo(4L);
    PAssert.that(result.failures()).satisfies(letters -> {
      Map<String, List<DeadLetter>> byTenant = StreamSupport.stream(letters.spliterator(), false)
          .collect(Collectors.groupingBy(DeadLetter::getTenantId));
      assertEquals(2, byTenant.get("gate-dl").size());
      assertEquals("QUOTA_EXHAUSTED_DAILY", byTenant.get("gate-dl").get(0).getErrorCode());
      assertThat(byTenant.get("gate-dl").get(0).getMessage(), containsString("(quota.audioMinutesPerDay=2)"));
      assertEquals(2, byTenant.get("gate-defer").size());
      assertEquals("QUOTA_DEFERRED", byTenant.get("gate-defer").get(0).getErrorCode());
      assertThat(byTenant.get("gate-defer").get(0).getMessage(), containsString("Replay this dead letter after the reset"));
      return null;
    });
    pipeline.run().waitUntilFinish();
  }

  @Test
  public void inStreamingDeferredCallsAreHeldNotLost() throws Exception {
    TestStream.Builder<ProbedAudio> events =
        TestStream.create(pipeline.getSchemaRegistry().getSchemaCoder(ProbedAudio.class));
    for (int i = 0; i < 4; i++) {
      events = events.addElements(call("gate-stream", i));
    }
    TestStream<ProbedAudio> stream = events.advanceProcessingTime(Duration.standardSeconds(30)).advanceWatermarkToInfinity();
    WithFailures.Result<PCollection<ProbedAudio>, DeadLetter> result =
        pipeline.apply(stream).apply(DailyQuotaGate.using(tenants(), AdmissionBackend.local()));
    PAssert.that(result.output()).satisfies(passed -> {
      assertEquals("two fit under the cap; the other two are held for the reset", 2,
          StreamSupport.stream(passed.spliterator(), false).count());
      return null;
    });
    PAssert.that(result.failures()).empty();
    pipeline.run().waitUntilFinish();
  }
}
