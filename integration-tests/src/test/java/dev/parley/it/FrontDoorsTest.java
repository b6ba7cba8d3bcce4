package dev.parley.it;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.junit.Assert.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.emulator.pubsub.PubsubStandIn;
import dev.parley.pipeline.IngestOptions;
import dev.parley.pipeline.IngestPipeline;
import dev.parley.tools.SampleAudio;
import dev.parley.tools.StoreContents;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The streaming front doors together, as a job runs them: the drop folder watched, and Pub/Sub (through Beam's
 * PubsubIO against a local stand-in that redelivers). A recording announced twice, or seen by both doors, is
 * one model request and one stored call; bad messages are dead-lettered with their codes.
 */
public class FrontDoorsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String TOPIC = "projects/local-project/topics/arrivals";
  private static final String SUBSCRIPTION = "projects/local-project/subscriptions/parley-arrivals";

  @Rule public TemporaryFolder tmp = new TemporaryFolder();
  @Rule public GeminiEmulatorRule gemini = new GeminiEmulatorRule();

  private static byte[] event(String eventId, String tenant, Path file, boolean withObjectTime) throws Exception {
    ObjectNode event = JSON.createObjectNode().put("eventId", eventId).put("tenantId", tenant)
        .put("sourceUri", file.toString());
    if (withObjectTime) {
      event.put("objectUpdated", Instant.ofEpochMilli(Files.getLastModifiedTime(file).toMillis()).toString());
    }
    event.putObject("call").put("direction", "INBOUND").put("agent", "dana@acme.example");
    return event.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static void waitFor(BooleanSupplier condition, long millis) throws InterruptedException {
    long deadline = System.currentTimeMillis() + millis;
    while (!condition.getAsBoolean() && System.currentTimeMillis() < deadline) {
      Thread.sleep(250);
    }
  }

  @Test
  public void aRecordingSeenTwiceOrByBothDoorsIsOneCall() throws Exception {
    Path drop = tmp.newFolder("drop").toPath();
    Path out = tmp.newFolder("out").toPath();
    String tenantConfig = LocalTenants.write(tmp.newFolder("tenants").toPath());
    List<Path> files = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      Path file = drop.resolve((i % 2 == 0 ? "acme-sales" : "initech") + "/call-" + i + ".wav");
      Files.createDirectories(file.getParent());
      Files.write(file, SampleAudio.wav(2, 8000, 1, 800 + i));
      Files.setLastModifiedTime(file, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() - 20_000));
      files.add(file);
    }

    try (PubsubStandIn pubsub = PubsubStandIn.start()) {
      pubsub.createSubscription(SUBSCRIPTION, TOPIC);
      pubsub.duplicatePublishes(0.5);
      // The same recording by the drop folder and by an event that names its time: one call.
      pubsub.publish(TOPIC, event("pbx-1", "acme-sales", files.get(0), true), Map.of());
      // An event without the object's time has a call of its own (its event id), sent twice: one call.
      Path eventOnly = drop.resolve("acme-sales/event-only.wav.partial"); // not picked up by the poller
      Files.write(eventOnly, SampleAudio.wav(2, 8000, 1, 900));
      pubsub.publish(TOPIC, event("pbx-2", "acme-sales", eventOnly, false), Map.of());
      pubsub.publish(TOPIC, event("pbx-2", "acme-sales", eventOnly, false), Map.of());
      // Bad and irrelevant messages.
      pubsub.publish(TOPIC, "{not json".getBytes(StandardCharsets.UTF_8), Map.of());
      pubsub.publish(TOPIC, event("pbx-3", "initech", files.get(0), true), Map.of()); // claims the wrong tenant
      pubsub.publish(TOPIC, "{}".getBytes(StandardCharsets.UTF_8), Map.of("eventType", "OBJECT_DELETE",
          "bucketId", "acme-call-recordings", "objectId", "parley/old.wav", "payloadFormat", "JSON_API_V1"));

      IngestOptions options = PipelineOptionsFactory.fromArgs(
          "--tenantConfig=" + tenantConfig, "--dropFolder=" + drop, "--watch=true", "--pollIntervalSeconds=1",
          "--subscription=" + SUBSCRIPTION, "--pubsubRootUrl=" + pubsub.rootUrl(),
          "--credentialFactoryClass=org.apache.beam.sdk.extensions.gcp.auth.NoopCredentialFactory",
          "--outputDir=" + out, "--geminiEndpoint=" + gemini.baseUrl(), "--runId=doors").as(IngestOptions.class);
      options.as(DirectOptions.class).setBlockOnRun(false);
      PipelineResult job = IngestPipeline.create(options).run();

      waitFor(() -> StoreContents.read(out).calls().size() >= 5, 90_000);
      // A recording dropped while the job runs is picked up by the next listing.
      Path late = drop.resolve("initech/late.wav");
      Files.write(late, SampleAudio.wav(2, 8000, 1, 950));
      Files.setLastModifiedTime(late, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() - 10_000));
      waitFor(() -> StoreContents.read(out).calls().size() >= 6 && StoreContents.read(out).deadLetters().size() >= 2
              && gemini.get().requests().size() >= 6,
          90_000);
      Thread.sleep(3_000); // anything still coming would be a duplicate
      job.cancel();
      assertThat("duplicate publishes were exercised", pubsub.duplicated(), greaterThanOrEqualTo(1L));
    }

    StoreContents store = StoreContents.read(out);
    List<String> callIds = store.calls().stream().map(c -> c.get("CallId").asText()).toList();
    assertEquals("four dropped, one by event only, one dropped late", 6, callIds.size());
    assertEquals("no call stored twice", 6, new HashSet<>(callIds).size());
    Set<String> digests = new HashSet<>();
    gemini.get().requests().forEach(r -> digests.add(r.audioSha256().get(0)));
    assertEquals("one model request per recording", 6, gemini.get().requests().size());
    assertEquals(6, digests.size());
    JsonNode announced = store.calls().stream().filter(c -> c.get("SourceUri").asText().equals(files.get(0).toString()))
        .findFirst().orElseThrow();
    assertEquals("metadata of the event is kept when the event came first or the drop folder did",
        1, store.calls().stream().filter(c -> c.get("SourceUri").asText().equals(files.get(0).toString())).count());
    Map<String, Long> codes = store.deadLetters().stream()
        .collect(Collectors.groupingBy(l -> l.get("ErrorCode").asText(), Collectors.counting()));
    // A malformed or mismatched message published twice is two dead letters: both copies are kept for replay.
    assertEquals(Set.of("EVENT_MALFORMED", "TENANT_MISMATCH"), codes.keySet());
    assertEquals("acme-sales", announced.get("TenantId").asText());
  }
}
