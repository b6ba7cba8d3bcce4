package dev.parley.transforms.replay;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.model.AudioArrival;
import dev.parley.model.AudioInfo;
import dev.parley.model.AudioPart;
import dev.parley.model.CallMetadata;
import dev.parley.model.DeadLetter;
import dev.parley.model.ErrorCode;
import dev.parley.model.ProbedAudio;
import dev.parley.transforms.CallIds;
import dev.parley.transforms.arrival.PubsubArrivals;
import dev.parley.transforms.deadletter.DeadLetters;
import dev.parley.transforms.deadletter.PayloadEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.io.gcp.pubsub.PubsubMessage;
import org.apache.beam.sdk.schemas.SchemaRegistry;
import org.joda.time.Instant;
import org.junit.Test;

/**
 * Each payload type a stage dead-letters becomes a message that the pipeline's own parser turns into the same call
 * (or the original message), and a call whose id cannot be derived again is refused rather than duplicated.
 */
public class ReplayEventsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String URI = "gs://acme-call-recordings/parley/2026/11/25/call-88412.wav";
  private static final Instant UPDATED = Instant.parse("2026-11-25T17:42:09.512Z");

  private static <T> PayloadEncoder<T> encoder(Class<T> type) throws Exception {
    return PayloadEncoder.forType(SchemaRegistry.createDefault(), type);
  }

  private static AudioArrival objectArrival() {
    return AudioArrival.builder().setCallId(CallIds.forObject(URI, UPDATED.getMillis())).setTenantId("acme-sales")
        .setSourceUri(URI).setObjectGeneration(1764092529512000L).setEventId("pbx-7f3a").setSizeBytes(1843244)
        .setContentType("audio/wav").setEventTime(UPDATED)
        .setMetadata(CallMetadata.builder().setDirection("INBOUND").setAgent("dana@acme.example")
            .setParticipantEmails(List.of("jordan.lee@example.com")).setStartTime(Instant.parse("2026-11-25T17:30:02Z"))
            .build())
        .build();
  }

  private static AudioArrival parse(ReplayEvent event) {
    PubsubArrivals.Parsed parsed = PubsubArrivals.parse(
        new PubsubMessage(event.data(), event.attributes(), "replayed-1"), Instant.now());
    assertNotNull("the pipeline takes the replayed message: " + parsed.message(), parsed.arrival());
    return parsed.arrival();
  }

  private static DeadLetter letter(String stage, ErrorCode code, AudioArrival arrival, String type, String payload) {
    return DeadLetters.of(stage, code, "failed", arrival, 1, type, payload);
  }

  @Test
  public void anArrivalOfAnObjectIsReplayedAsTheSameCallWithItsMetadata() throws Exception {
    AudioArrival arrival = objectArrival();
    DeadLetter letter = letter("ProbeAudio", ErrorCode.AUDIO_READ_FAILED, arrival, "AudioArrival",
        encoder(AudioArrival.class).encode(arrival));

    ReplayEvent event = ReplayEvents.rebuild(letter).event();

    AudioArrival replayed = parse(event);
    assertEquals(arrival.getCallId(), replayed.getCallId());
    assertEquals(arrival.getCallId(), event.callId());
    assertEquals("acme-sales", replayed.getTenantId());
    assertEquals(arrival.getMetadata(), replayed.getMetadata());
    assertEquals(1843244, replayed.getSizeBytes());
    assertEquals(ReplayEvents.replayId(letter), replayed.getReplayOf());
    assertTrue("a replay is keyed apart from the call's first processing",
        !replayed.processingKey().equals(arrival.processingKey()));
    assertEquals("the same dead letter replays with the same id", ReplayEvents.replayId(letter),
        parse(ReplayEvents.rebuild(letter).event()).getReplayOf());
  }

  @Test
  public void anArrivalKeyedByItsEventKeepsItsEventId() throws Exception {
    AudioArrival arrival = objectArrival().toBuilder().setCallId(CallIds.forEvent("pbx-2"))
        .setEventId("pbx-2").setEventTime(Instant.parse("2026-11-25T18:00:00Z")).build();
    DeadLetter letter = letter("ResolveTenant", ErrorCode.TENANT_UNKNOWN, arrival, "AudioArrival",
        encoder(AudioArrival.class).encode(arrival));

    ReplayEvent event = ReplayEvents.rebuild(letter).event();

    JsonNode body = JSON.readTree(event.data());
    assertEquals("pbx-2", body.get("eventId").asText());
    assertTrue("no object time: the call id came from the event id", body.path("objectUpdated").isMissingNode());
    assertEquals(arrival.getCallId(), parse(event).getCallId());
  }

  @Test
  public void aPartOfASplitCallReplaysTheWholeCall() throws Exception {
    AudioArrival parent = objectArrival();
    AudioInfo audio = AudioInfo.builder().setFormat("WAV").setCodec("PCM_S16LE").setMimeType("audio/wav")
        .setDurationMillis(900_000).setSampleRateHz(16000).setChannels(1).setBitsPerSample(16).build();
    AudioPart part = AudioPart.builder().setParentArrival(parent).setParentAudio(audio).setChunkIndex(1)
        .setChunkCount(2).setPartCount(2).setOwnedFromMillis(0).setOwnedToMillis(900_000).setTimeMap(List.of()).build();
    AudioArrival chunk = parent.toBuilder().setCallId(parent.getCallId() + "-MIX-1")
        .setSourceUri("gs://parley-work/acme-sales/x/mix-1.wav").build();
    ProbedAudio call = ProbedAudio.part(chunk, audio, part);
    DeadLetter letter = DeadLetters.of("Transcribe", ErrorCode.MODEL_UNAVAILABLE, "503", chunk, 6,
        encoder(ProbedAudio.class), call);

    AudioArrival replayed = parse(ReplayEvents.rebuild(letter).event());

    assertEquals(parent.getCallId(), replayed.getCallId());
    assertEquals(URI, replayed.getSourceUri());
  }

  @Test
  public void aStoredCallWhoseIdCameFromAnEventIsRefusedNotDuplicated() throws Exception {
    DeadLetter letter = DeadLetters.of("WriteCallsToCrm", ErrorCode.CRM_UNAVAILABLE, "503", "acme-sales", URI,
        CallIds.forEvent("pbx-2"), 3, "SpannerMutationGroup",
        "[{\"table\":\"Calls\",\"operation\":\"INSERT_OR_UPDATE\",\"values\":{\"TenantId\":\"acme-sales\",\"CallId\":\""
            + CallIds.forEvent("pbx-2") + "\",\"SourceUri\":\"" + URI + "\",\"ArrivedAt\":\"2026-11-25T18:00:00Z\"}}]");

    ReplayEvents.Rebuilt rebuilt = ReplayEvents.rebuild(letter);

    assertNull(rebuilt.event());
    assertTrue(rebuilt.refusal(), rebuilt.refusal().contains("cannot be derived again"));
  }

  @Test
  public void aFailedSpannerWriteOfAnObjectCallIsReplayedFromItsCallsRow() throws Exception {
    String callId = CallIds.forObject(URI, UPDATED.getMillis());
    DeadLetter letter = DeadLetters.of("StoreCalls", ErrorCode.STORE_WRITE_FAILED, "deadline", "acme-sales", URI, callId,
        1, "SpannerMutationGroup", "[{\"table\":\"Calls\",\"operation\":\"INSERT_OR_UPDATE\",\"values\":{"
            + "\"TenantId\":\"acme-sales\",\"CallId\":\"" + callId + "\",\"SourceUri\":\"" + URI + "\","
            + "\"ArrivedAt\":\"2026-11-25T17:42:09.512000000Z\",\"Direction\":\"INBOUND\"}},"
            + "{\"table\":\"TranscriptSegments\",\"operation\":\"INSERT_OR_UPDATE\",\"values\":{}}]");

    AudioArrival replayed = parse(ReplayEvents.rebuild(letter).event());

    assertEquals(callId, replayed.getCallId());
    assertEquals("INBOUND", replayed.getMetadata().getDirection());
  }

  @Test
  public void aRefusedPubsubMessageIsSentAgainAsItWas() throws Exception {
    byte[] data = "{\"kind\":\"storage#object\",\"size\":\"12\"}".getBytes(StandardCharsets.UTF_8);
    String payload = JSON.createObjectNode().put("messageId", "17")
        .<com.fasterxml.jackson.databind.node.ObjectNode>set("attributes", JSON.valueToTree(
            Map.of("eventType", "OBJECT_FINALIZE", "bucketId", "b", "objectId", "acme-sales/a.wav")))
        .put("data", Base64.getEncoder().encodeToString(data)).toString();
    DeadLetter letter = DeadLetters.of("ParseArrival", ErrorCode.AUDIO_READ_FAILED, "not found", null, 1,
        "PubsubMessage", payload);

    ReplayEvent event = ReplayEvents.rebuild(letter).event();

    assertArrayEquals(data, event.data());
    assertEquals("acme-sales/a.wav", event.attributes().get("objectId"));
  }

  @Test
  public void aPayloadThatCannotBeReadIsRefused() {
    DeadLetter letter = DeadLetters.of("ProbeAudio", ErrorCode.AUDIO_READ_FAILED, "x", null, 1, "AudioArrival", "{");

    assertTrue(ReplayEvents.rebuild(letter).refusal().startsWith("payload cannot be read"));
  }
}
