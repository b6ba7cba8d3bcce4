package dev.parley.it;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.emulator.pubsub.PubsubStandIn;
import dev.parley.pipeline.IngestOptions;
import dev.parley.pipeline.IngestPipeline;
import dev.parley.tools.DlqCommand;
import dev.parley.tools.SampleAudio;
import dev.parley.tools.StoreContents;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.extensions.gcp.auth.NoopCredentialFactory;
import org.apache.beam.sdk.io.gcp.pubsub.PubsubClient;
import org.apache.beam.sdk.io.gcp.pubsub.PubsubJsonClient;
import org.apache.beam.sdk.io.gcp.pubsub.PubsubOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import picocli.CommandLine;

/**
 * Dead letters replayed into a running streaming job, through the CLI: a call whose recording could not be read
 * when its event came (after Dedupe had seen its id) is dead-lettered to the folder and the topic; once the
 * recording is there, a replay has it transcribed and stored as the same call, and a second replay of the same
 * dead letters changes nothing: one model request, one stored call.
 */
public class DeadLetterReplayTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String TOPIC = "projects/local-project/topics/arrivals";
  private static final String SUBSCRIPTION = "projects/local-project/subscriptions/parley-arrivals";
  private static final String DLQ_TOPIC = "projects/local-project/topics/parley-dead-letters";
  private static final String DLQ_SUBSCRIPTION = "projects/local-project/subscriptions/dead-letter-audit";

  @Rule public TemporaryFolder tmp = new TemporaryFolder();
  @Rule public GeminiEmulatorRule gemini = new GeminiEmulatorRule();

  private static void waitFor(BooleanSupplier condition, long millis) throws InterruptedException {
    long deadline = System.currentTimeMillis() + millis;
    while (!condition.getAsBoolean() && System.currentTimeMillis() < deadline) {
      Thread.sleep(250);
    }
  }

  private static String replay(String... args) {
    StringWriter out = new StringWriter();
    CommandLine command = new CommandLine(new DlqCommand());
    command.setOut(new PrintWriter(out, true));
    List<String> all = new ArrayList<>(List.of("replay"));
    all.addAll(List.of(args));
    assertEquals(out.toString(), 0, command.execute(all.toArray(String[]::new)));
    return out.toString();
  }

  @Test
  public void aReplayedDeadLetterIsProcessedOnceAndStoredOnce() throws Exception {
    Path drop = tmp.newFolder("drop").toPath();
    Path out = tmp.newFolder("out").toPath();
    Path deadLetters = tmp.newFolder("dead-letters").toPath();
    String tenantConfig = LocalTenants.write(tmp.newFolder("tenants").toPath());
    // Not a name the drop folder's listing takes: this recording comes by its event only.
    Path recording = drop.resolve("acme-sales/late-upload.wav.partial");
    Files.createDirectories(recording.getParent());
    byte[] audio = SampleAudio.wav(2, 8000, 1, 4242);
    Instant updated = Instant.parse("2026-11-25T17:42:09.512Z");
    String event = JSON.createObjectNode().put("eventId", "pbx-late-1").put("tenantId", "acme-sales")
        .put("sourceUri", recording.toString()).put("objectUpdated", updated.toString()).put("sizeBytes", audio.length)
        .toString();

    try (PubsubStandIn pubsub = PubsubStandIn.start()) {
      pubsub.createSubscription(SUBSCRIPTION, TOPIC);
      pubsub.createSubscription(DLQ_SUBSCRIPTION, DLQ_TOPIC);
      pubsub.publish(TOPIC, event.getBytes(StandardCharsets.UTF_8), Map.of());
      IngestOptions options = PipelineOptionsFactory.fromArgs(
          "--tenantConfig=" + tenantConfig, "--dropFolder=" + drop, "--watch=true", "--subscription=" + SUBSCRIPTION,
          "--pubsubRootUrl=" + pubsub.rootUrl(), "--credentialFactoryClass=" + NoopCredentialFactory.class.getName(),
          "--outputDir=" + out, "--deadLetterDir=" + deadLetters, "--deadLetterTopic=" + DLQ_TOPIC,
          "--geminiEndpoint=" + gemini.baseUrl(), "--runId=replay").as(IngestOptions.class);
      options.as(DirectOptions.class).setBlockOnRun(false);
      PipelineResult job = IngestPipeline.create(options).run();
      try {
        waitFor(() -> StoreContents.read(deadLetters).deadLetters().size() >= 1, 90_000);
        List<JsonNode> letters = StoreContents.read(deadLetters).deadLetters();
        assertEquals(1, letters.size());
        assertEquals("AUDIO_READ_FAILED", letters.get(0).get("ErrorCode").asText());
        assertEquals("ProbeAudio", letters.get(0).get("Stage").asText());
        String callId = letters.get(0).get("CallId").asText();
        assertTrue("the dead letters go to the dead-letter folder, not the output folder",
            StoreContents.read(out).deadLetters().isEmpty());
        assertEquals(Map.of("tenantId", "acme-sales", "errorCode", "AUDIO_READ_FAILED", "stage", "ProbeAudio"),
            deadLetterTopicAttributes(pubsub));

        Files.write(recording, audio);
        Files.setLastModifiedTime(recording, FileTime.from(updated));
        String listing = replay("--deadLetterDir=" + deadLetters, "--dry-run");
        assertThat(listing, containsString("would replay acme-sales " + callId + " AUDIO_READ_FAILED ProbeAudio"));
        assertThat(listing, containsString("events=1 refused=0 unreadable=0 (dry run: nothing sent)"));
        assertEquals("a dry run sends nothing", 0, gemini.get().requests().size());

        Path file = tmp.getRoot().toPath().resolve("replay.jsonl");
        replay("--deadLetterDir=" + deadLetters, "--out=" + file);
        JsonNode written = JSON.readTree(Base64.getDecoder().decode(
            JSON.readTree(Files.readAllLines(file).get(0)).get("data").asText()));
        assertEquals("pbx-late-1", written.get("eventId").asText());
        assertEquals(updated.toString(), written.get("objectUpdated").asText());

        String sent = replay("--deadLetterDir=" + deadLetters, "--topic=" + TOPIC, "--pubsubRootUrl=" + pubsub.rootUrl());
        assertThat(sent, containsString("sent to Pub/Sub topic " + TOPIC));
        waitFor(() -> StoreContents.read(out).calls().size() >= 1, 90_000);
        long delivered = pubsub.deliveries();
        replay("--deadLetterDir=" + deadLetters, "--topic=" + TOPIC, "--pubsubRootUrl=" + pubsub.rootUrl());
        waitFor(() -> pubsub.deliveries() > delivered, 30_000);
        Thread.sleep(6_000); // past the store's pane delay: a second transcription would show by now

        StoreContents store = StoreContents.read(out);
        assertEquals("stored once", 1, store.calls().size());
        assertEquals("as the same call", callId, store.calls().get(0).get("CallId").asText());
        assertEquals("transcribed once", 1, gemini.get().requests().size());
        assertEquals("no new dead letters", 1, StoreContents.read(deadLetters).deadLetters().size());
      } finally {
        job.cancel();
      }
    }
  }

  /** The attributes of the one dead letter on the dead-letter topic, pulled with Beam's own Pub/Sub client. */
  private static Map<String, String> deadLetterTopicAttributes(PubsubStandIn pubsub) throws Exception {
    PubsubOptions options = PipelineOptionsFactory.create().as(PubsubOptions.class);
    options.setPubsubRootUrl(pubsub.rootUrl());
    options.setCredentialFactoryClass(NoopCredentialFactory.class);
    try (PubsubClient client = PubsubJsonClient.FACTORY.newClient(null, null, options)) {
      List<PubsubClient.IncomingMessage> messages = new ArrayList<>();
      long deadline = System.currentTimeMillis() + 30_000;
      while (messages.isEmpty() && System.currentTimeMillis() < deadline) {
        messages.addAll(client.pull(System.currentTimeMillis(), PubsubClient.subscriptionPathFromPath(DLQ_SUBSCRIPTION),
            10, true));
        Thread.sleep(250);
      }
      assertEquals(1, messages.size());
      return messages.get(0).message().getAttributesMap();
    }
  }
}
