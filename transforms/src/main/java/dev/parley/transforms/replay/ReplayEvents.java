package dev.parley.transforms.replay;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.model.AudioArrival;
import dev.parley.model.CallMetadata;
import dev.parley.model.CallRecord;
import dev.parley.model.DeadLetter;
import dev.parley.model.ProbedAudio;
import dev.parley.transforms.CallIds;
import dev.parley.transforms.arrival.CallMetadataJson;
import dev.parley.transforms.arrival.PubsubArrivals;
import dev.parley.transforms.deadletter.PayloadDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.beam.sdk.io.gcp.pubsub.PubsubMessage;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Instant;

/**
 * Rebuilds, from a dead letter's payload, the message that makes the pipeline process its call again, as the same
 * call: {@code AudioArrival} (and {@code ProbedAudio}, whose part's parent arrival is the whole call),
 * {@code CallRecord} and {@code SpannerMutationGroup} payloads become an arrival event; {@code FileMetadata} (a
 * listed file) becomes an event for that file; a {@code PubsubMessage} payload is the original message, sent again.
 *
 * <p>An event keeps the call's identity: {@code objectUpdated} when the call id came from the object's time, else
 * the original {@code eventId}; each candidate is parsed exactly as the pipeline parses it ({@link PubsubArrivals})
 * and used only if it yields the dead letter's call id, so a replay never creates a second call. It carries
 * {@code replayOf}, the dead letter's id, so that {@code Dedupe} lets it through once although the call was seen.
 */
public final class ReplayEvents {
  /** What a dead letter became: an event to send, or why none can be sent. */
  public record Rebuilt(@Nullable ReplayEvent event, @Nullable String refusal) {
    static Rebuilt of(ReplayEvent event) {
      return new Rebuilt(event, null);
    }

    static Rebuilt refused(String why) {
      return new Rebuilt(null, why);
    }
  }

  /** What a payload says about the recording, whatever its type. */
  private record Recording(@Nullable String callId, @Nullable String tenantId, String sourceUri,
      @Nullable Instant objectTime, @Nullable String eventId, long sizeBytes, @Nullable String contentType,
      @Nullable CallMetadata metadata) {}

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final PayloadDecoder<AudioArrival> ARRIVALS = PayloadDecoder.forType(AudioArrival.class);
  private static final PayloadDecoder<ProbedAudio> PROBED = PayloadDecoder.forType(ProbedAudio.class);
  private static final PayloadDecoder<CallRecord> RECORDS = PayloadDecoder.forType(CallRecord.class);

  private ReplayEvents() {}

  public static Rebuilt rebuild(DeadLetter letter) {
    try {
      return switch (letter.getPayloadType()) {
        case "PubsubMessage" -> Rebuilt.of(originalMessage(letter));
        case "AudioArrival" -> event(letter, fromArrival(ARRIVALS.decode(letter.getPayload())));
        case "ProbedAudio" -> {
          ProbedAudio call = PROBED.decode(letter.getPayload());
          yield event(letter, fromArrival(call.getPart() == null ? call.getArrival() : call.getPart().getParentArrival()));
        }
        case "CallRecord" -> event(letter, fromRecord(RECORDS.decode(letter.getPayload())));
        case "SpannerMutationGroup" -> event(letter, fromCallsRow(letter));
        case "FileMetadata" -> event(letter, fromFile(letter));
        default -> Rebuilt.refused("payload type " + letter.getPayloadType() + " cannot be replayed");
      };
    } catch (JsonProcessingException | RuntimeException e) {
      return Rebuilt.refused("payload cannot be read: " + e.getClass().getSimpleName() + ": " + e.getMessage());
    }
  }

  /** The dead letter's id, the same every time it is read: what {@code replayOf} carries. */
  static String replayId(DeadLetter letter) {
    String identity = String.join("\n", letter.getStage(), letter.getErrorCode(),
        Long.toString(letter.getFailedAt().getMillis()), Objects.toString(letter.getCallId(), ""), letter.getPayload());
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256").digest(identity.getBytes(StandardCharsets.UTF_8));
      return "dl-" + HexFormat.of().formatHex(hash, 0, 12);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static ReplayEvent originalMessage(DeadLetter letter) throws JsonProcessingException {
    JsonNode payload = JSON.readTree(letter.getPayload());
    Map<String, String> attributes = new LinkedHashMap<>();
    payload.path("attributes").fields().forEachRemaining(e -> attributes.put(e.getKey(), e.getValue().asText()));
    byte[] data = Base64.getDecoder().decode(payload.path("data").asText(""));
    return new ReplayEvent(letter, letter.getCallId(), data, attributes);
  }

  private static Recording fromArrival(AudioArrival arrival) {
    return new Recording(arrival.getCallId(), arrival.getTenantId(), arrival.getSourceUri(), arrival.getEventTime(),
        arrival.getEventId(), arrival.getSizeBytes(), arrival.getContentType(), arrival.getMetadata());
  }

  /** A stored call's arrival time is its object's time when the call id came from the object. */
  private static Recording fromRecord(CallRecord record) {
    return new Recording(record.getCallId(), record.getTenantId(), record.getSourceUri(), record.getArrivedAt(), null,
        PubsubArrivals.UNKNOWN_SIZE, record.getAudio().getMimeType(), record.getMetadata());
  }

  /** The {@code Calls} row of a mutation group Spanner did not write. */
  private static Recording fromCallsRow(DeadLetter letter) throws JsonProcessingException {
    for (JsonNode mutation : JSON.readTree(letter.getPayload())) {
      if ("Calls".equals(mutation.path("table").asText())) {
        JsonNode values = mutation.path("values");
        String arrived = values.path("ArrivedAt").asText(null);
        CallMetadata metadata = CallMetadata.builder()
            .setExternalCallId(values.path("ExternalCallId").asText(null))
            .setDirection(values.path("Direction").asText(null))
            .setFromNumber(values.path("FromNumber").asText(null))
            .setToNumber(values.path("ToNumber").asText(null))
            .setAgent(values.path("Agent").asText(null))
            .build();
        return new Recording(values.path("CallId").asText(null), values.path("TenantId").asText(null),
            values.path("SourceUri").asText(), arrived == null ? null : new Instant(java.time.Instant.parse(arrived).toEpochMilli()),
            null, PubsubArrivals.UNKNOWN_SIZE, null, metadata);
      }
    }
    throw new IllegalArgumentException("no Calls row in the mutation group");
  }

  /** A listed file that ParseArrival refused: its call id comes from its name and modification time. */
  private static Recording fromFile(DeadLetter letter) throws JsonProcessingException {
    JsonNode file = JSON.readTree(letter.getPayload());
    String uri = file.path("resourceId").asText();
    long modified = file.path("lastModifiedMillis").asLong(0);
    return new Recording(modified == 0 ? null : CallIds.forObject(uri, modified), null, uri,
        modified == 0 ? null : new Instant(modified), null, file.path("sizeBytes").asLong(PubsubArrivals.UNKNOWN_SIZE),
        null, null);
  }

  /** The first candidate event the pipeline turns into the same call. */
  private static Rebuilt event(DeadLetter letter, Recording recording) {
    String replayOf = replayId(letter);
    List<ObjectNode> candidates = new ArrayList<>();
    if (recording.objectTime() != null) {
      String eventId = recording.eventId() != null ? recording.eventId()
          : CallIds.forObject(recording.sourceUri(), recording.objectTime().getMillis());
      candidates.add(body(recording, eventId, replayOf)
          .put("objectUpdated", java.time.Instant.ofEpochMilli(recording.objectTime().getMillis()).toString()));
    }
    if (recording.eventId() != null) {
      candidates.add(body(recording, recording.eventId(), replayOf));
    }
    String refusal = "call " + recording.callId() + " cannot be derived again from an arrival event: the payload has"
        + " neither the object time nor the event id it was derived from";
    for (ObjectNode candidate : candidates) {
      byte[] data = candidate.toString().getBytes(StandardCharsets.UTF_8);
      PubsubArrivals.Parsed parsed = PubsubArrivals.parse(new PubsubMessage(data, Map.of(), replayOf), Instant.now());
      if (parsed.arrival() == null) {
        refusal = "the rebuilt event would be refused: " + parsed.code() + " " + parsed.message();
      } else if (recording.callId() == null || recording.callId().equals(parsed.arrival().getCallId())) {
        return Rebuilt.of(new ReplayEvent(letter, parsed.arrival().getCallId(), data, Map.of()));
      }
    }
    return Rebuilt.refused(refusal);
  }

  private static ObjectNode body(Recording recording, String eventId, String replayOf) {
    ObjectNode event = JSON.createObjectNode().put("eventId", eventId);
    if (recording.tenantId() != null) {
      event.put("tenantId", recording.tenantId());
    }
    event.put("sourceUri", recording.sourceUri());
    if (recording.sizeBytes() >= 0) {
      event.put("sizeBytes", recording.sizeBytes());
    }
    if (recording.contentType() != null) {
      event.put("contentType", recording.contentType());
    }
    if (recording.metadata() != null) {
      ObjectNode call = CallMetadataJson.toCall(recording.metadata());
      if (!call.isEmpty()) {
        event.set("call", call);
      }
    }
    return event.put("replayOf", replayOf);
  }
}
