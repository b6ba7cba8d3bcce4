package dev.parley.transforms.arrival;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.parley.model.AudioArrival;
import dev.parley.model.ErrorCode;
import dev.parley.transforms.CallIds;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.apache.beam.sdk.io.gcp.pubsub.PubsubMessage;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Instant;

/**
 * Reads the two kinds of Pub/Sub message Parley takes: Cloud Storage notifications ({@code JSON_API_V1}
 * payload; only {@code OBJECT_FINALIZE} is a new recording) and Parley's own arrival event
 * ({@code arrival-event.schema.json}).
 *
 * <p>Call ids: a notification's object, and an event that gives {@code objectUpdated}, get the id of the object
 * and its update time, the same id the drop-folder poller derives from the object's modification time, so a
 * recording seen by two doors is one call; an event without it gets the id of its {@code eventId}.
 */
public final class PubsubArrivals {
  /** Events are small; anything larger is not one. */
  public static final int MAX_EVENT_BYTES = 64 * 1024;
  /** An event may leave the size out; {@code ParseArrival} then asks storage. */
  public static final long UNKNOWN_SIZE = -1;
  static final String FINALIZE = "OBJECT_FINALIZE";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonSchema EVENT_SCHEMA = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
      .getSchema(SchemaLocation.of("classpath:dev/parley/events/arrival-event.schema.json"));

  private PubsubArrivals() {}

  /** What one message is: an arrival, something to ignore (and count), or a refusal with its code. */
  public record Parsed(@Nullable AudioArrival arrival, @Nullable String ignoredBecause, @Nullable ErrorCode code,
      @Nullable String message) {
    static Parsed arrival(AudioArrival arrival) {
      return new Parsed(arrival, null, null, null);
    }

    static Parsed ignored(String why) {
      return new Parsed(null, why, null, null);
    }

    static Parsed refused(ErrorCode code, String message) {
      return new Parsed(null, null, code, message);
    }
  }

  public static Parsed parse(PubsubMessage message, Instant publishTime) {
    byte[] payload = message.getPayload();
    if (payload != null && payload.length > MAX_EVENT_BYTES) {
      return Parsed.refused(ErrorCode.EVENT_TOO_LARGE, "message of " + payload.length + " bytes, over the "
          + MAX_EVENT_BYTES + "-byte limit of an arrival event");
    }
    Map<String, String> attributes = message.getAttributeMap() == null ? Map.of() : message.getAttributeMap();
    try {
      return attributes.containsKey("eventType") && attributes.containsKey("bucketId")
          ? notification(attributes, payload, message.getMessageId(), publishTime)
          : event(payload, message.getMessageId(), publishTime);
    } catch (JsonProcessingException e) {
      return Parsed.refused(ErrorCode.EVENT_MALFORMED, "message is not valid JSON: " + e.getOriginalMessage());
    }
  }

  private static Parsed notification(Map<String, String> attributes, byte[] payload, String messageId, Instant publishTime)
      throws JsonProcessingException {
    String eventType = attributes.get("eventType");
    if (!FINALIZE.equals(eventType)) {
      return Parsed.ignored(eventType);
    }
    String bucket = attributes.get("bucketId");
    String object = attributes.get("objectId");
    if (object == null || object.isEmpty()) {
      return Parsed.refused(ErrorCode.EVENT_MALFORMED, "storage notification without objectId");
    }
    JsonNode resource = payload == null || payload.length == 0
        ? JSON.createObjectNode() : JSON.readTree(new String(payload, StandardCharsets.UTF_8));
    Long generation = parseLong(attributes.get("objectGeneration"));
    Instant updated = CallMetadataJson.time(resource.path("updated").asText(null));
    if (updated == null && generation != null) {
      updated = new Instant(generation / 1000); // Generations are microseconds since the epoch at creation.
    }
    if (updated == null) {
      return Parsed.refused(ErrorCode.EVENT_MALFORMED, "storage notification without objectGeneration or updated");
    }
    Map<String, String> custom = new HashMap<>();
    resource.path("metadata").fields().forEachRemaining(e -> custom.put(e.getKey(), e.getValue().asText()));
    String uri = "gs://" + bucket + "/" + object;
    Long size = parseLong(resource.path("size").asText(null));
    return Parsed.arrival(AudioArrival.builder()
        .setCallId(CallIds.forObject(uri, updated.getMillis()))
        .setSourceUri(uri)
        .setObjectGeneration(generation)
        .setEventId(messageId)
        .setSizeBytes(size == null ? UNKNOWN_SIZE : size)
        .setContentType(resource.path("contentType").asText(null))
        .setEventTime(updated)
        .setMetadata(CallMetadataJson.fromObjectMetadata(custom))
        .build());
  }

  private static Parsed event(byte[] payload, String messageId, Instant publishTime) throws JsonProcessingException {
    if (payload == null || payload.length == 0) {
      return Parsed.refused(ErrorCode.EVENT_MALFORMED, "empty message");
    }
    JsonNode event = JSON.readTree(new String(payload, StandardCharsets.UTF_8));
    Set<ValidationMessage> problems = EVENT_SCHEMA.validate(event);
    if (!problems.isEmpty()) {
      return Parsed.refused(ErrorCode.EVENT_MALFORMED, "arrival event breaks its schema: "
          + problems.stream().map(ValidationMessage::getMessage).sorted().limit(5).toList());
    }
    String uri = event.get("sourceUri").asText();
    Instant updated = CallMetadataJson.time(event.path("objectUpdated").asText(null));
    String eventId = event.get("eventId").asText();
    return Parsed.arrival(AudioArrival.builder()
        .setCallId(updated != null ? CallIds.forObject(uri, updated.getMillis()) : CallIds.forEvent(eventId))
        .setTenantId(event.path("tenantId").asText(null))
        .setSourceUri(uri)
        .setEventId(eventId)
        .setSizeBytes(event.path("sizeBytes").canConvertToLong() ? event.get("sizeBytes").asLong() : UNKNOWN_SIZE)
        .setContentType(event.path("contentType").asText(null))
        .setEventTime(updated != null ? updated : publishTime)
        .setMetadata(CallMetadataJson.fromCall(event.path("call")))
        .setReplayOf(event.path("replayOf").asText(null))
        .build());
  }

  private static @Nullable Long parseLong(@Nullable String value) {
    try {
      return value == null ? null : Long.parseLong(value);
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
