package dev.parley.it;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.junit.Assert.assertEquals;

import dev.parley.emulator.gemini.GeminiEmulatorSettings;
import dev.parley.emulator.gemini.RecordedRequest;
import dev.parley.model.CallRecord;
import dev.parley.model.DeadLetter;
import dev.parley.model.ProbedAudio;
import dev.parley.tenant.SecretResolver;
import dev.parley.tenant.TenantConfig;
import dev.parley.tenant.TenantConfigSpec;
import dev.parley.tenant.TenantRegistry;
import dev.parley.tools.SampleAudio;
import dev.parley.transforms.Transcribe;
import dev.parley.transforms.admission.AdmissionBackend;
import dev.parley.transforms.admission.BucketShape;
import dev.parley.transforms.admission.CallCost;
import dev.parley.transforms.admission.QuotaHolder;
import dev.parley.transforms.admission.RedisEndpoint;
import dev.parley.transforms.admission.RedisTestServer;
import dev.parley.transforms.admission.Ticket;
import dev.parley.transforms.transcribe.GeminiEngine;
import dev.parley.transforms.transcribe.ModelEndpoints;
import dev.parley.transforms.transcribe.PreparedCall;
import dev.parley.transforms.transcribe.TranscriptionRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Count;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.WithFailures;
import org.apache.beam.sdk.values.PCollection;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.junit.rules.Timeout;

/**
 * A batch job's Transcribe step on the DirectRunner with its admission in Redis, while another worker (its own
 * pool and admission on the same Redis) spends the same Gemini API key: together they stay within the project
 * limit that the emulator enforces per key.
 */
public class RedisAdmissionTranscribeTest {
  private static final int PROJECT_RPM = 240;

  @Rule public final transient TestPipeline pipeline = TestPipeline.create();
  @Rule public final transient TemporaryFolder tmp = new TemporaryFolder();
  @Rule public final transient GeminiEmulatorRule gemini =
      new GeminiEmulatorRule(GeminiEmulatorSettings.builder().limits(PROJECT_RPM, 0).build());
  @Rule public final transient Timeout timeout = Timeout.seconds(120);

  @Test
  public void twoWorkersSharingAKeyStayWithinItsLimit() throws Exception {
    TenantConfigSpec tenants = tenantsWithProjectLimit();
    RedisEndpoint redis = RedisTestServer.endpoint();
    ModelEndpoints endpoints = ModelEndpoints.googleDefault().withGemini(gemini.baseUrl());
    List<ProbedAudio> calls = new ArrayList<>();
    for (int seed = 0; seed < 10; seed++) {
      calls.add(TranscribeFixture.localCall(tmp.getRoot().toPath(), "acme", "acme-" + seed + ".wav",
          SampleAudio.wav(3, 8000, 1, seed), 3));
    }
    WithFailures.Result<PCollection<CallRecord>, DeadLetter> result = pipeline.apply(Create.of(calls))
        .apply(Transcribe.using(tenants, endpoints).withAdmission(AdmissionBackend.redis(redis)));
    PAssert.thatSingleton(result.output().apply(Count.globally())).isEqualTo(10L);
    PAssert.that(result.failures()).empty();

    AtomicBoolean jobDone = new AtomicBoolean();
    AtomicInteger otherCalls = new AtomicInteger();
    CompletableFuture<Void> other = CompletableFuture.runAsync(() -> callUntil(jobDone, tenants, redis, endpoints,
        otherCalls));
    try {
      pipeline.run().waitUntilFinish();
    } finally {
      jobDone.set(true);
    }
    other.get();

    List<RecordedRequest> requests = gemini.get().requests();
    assertEquals("no request was refused", 0, requests.stream().filter(r -> r.status() == 429).count());
    assertThat("the other worker called too", otherCalls.get(), greaterThanOrEqualTo(1));
    assertEquals(10 + otherCalls.get(), requests.size());
    // Both workers together: no more than one window-safe bucket allows over the run, so no minute over the limit.
    long spanNanos = Duration.between(requests.get(0).time(), requests.get(requests.size() - 1).time()).toNanos();
    BucketShape bucket = BucketShape.windowSafe(PROJECT_RPM);
    double allowed = bucket.capacity() + bucket.refillPerMinute() * spanNanos / 60e9 + 1;
    assertThat((double) requests.size(), lessThanOrEqualTo(allowed));
  }

  /** The fixture's tenants, with the project limit of acme's model laid over them. */
  private TenantConfigSpec tenantsWithProjectLimit() throws Exception {
    Path base = tmp.newFolder("tenants").toPath();
    TranscribeFixture.tenants(base, 5_000_000);
    Path overlay = tmp.newFolder("overlay").toPath().resolve("limits.yaml");
    Files.writeString(overlay, "models:\n  gemini-2.5-flash:\n    projectLimits: {requestsPerMinute: " + PROJECT_RPM + "}\n");
    return new TenantConfigSpec(List.of(base.toString(), overlay.toString()), Duration.ofHours(1));
  }

  /** The other worker: acme's calls, one at a time, each admitted through its own admission on the same Redis. */
  private void callUntil(AtomicBoolean done, TenantConfigSpec tenants, RedisEndpoint redis, ModelEndpoints endpoints,
      AtomicInteger made) {
    try (RedisTestServer.Worker worker = new RedisTestServer.Worker(redis);
        SecretResolver secrets = new SecretResolver();
        GeminiEngine engine = new GeminiEngine(endpoints, secrets)) {
      TenantRegistry config = tenants.open().current();
      TenantConfig acme = config.find("acme").orElseThrow();
      QuotaHolder holder = QuotaHolder.of(acme);
      for (int seed = 100; !done.get(); seed++) {
        ProbedAudio call = TranscribeFixture.localCall(tmp.getRoot().toPath(), "acme", "other-" + seed + ".wav",
            SampleAudio.wav(3, 8000, 1, seed), 3);
        Ticket ticket = worker.admission().enqueue(holder.key(), holder.limits(config), acme, CallCost.ofAudio(3000));
        worker.admission().await(holder.key(), ticket);
        try (PreparedCall prepared = engine.prepare(new TranscriptionRequest(acme, call, Duration.ofSeconds(30)))) {
          prepared.attempt();
          made.incrementAndGet();
        } finally {
          worker.admission().release(holder.key(), ticket);
        }
      }
    } catch (Exception e) {
      throw new IllegalStateException("the other worker failed", e);
    }
  }
}
