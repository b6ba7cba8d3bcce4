package dev.parley.transforms.arrival;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.model.CallMetadata;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Instant;

/**
 * Call metadata from the places it arrives: the {@code call} object of an arrival event or sidecar, the email
 * gateway's sidecar, and {@code x-goog-meta-parley-*} custom metadata of a Cloud Storage object. Values that do not
 * parse are left out rather than failing the call: the recording matters more than its labels.
 */
public final class CallMetadataJson {
  /** Custom metadata keys (without the {@code x-goog-meta-} prefix GCS strips in notifications). */
  static final String PREFIX = "parley-";

  private CallMetadataJson() {}

  /** From a {@code call} object shaped as in {@code arrival-event.schema.json}. */
  public static @Nullable CallMetadata fromCall(JsonNode call) {
    if (call == null || !call.isObject() || call.isEmpty()) {
      return null;
    }
    List<String> emails = new ArrayList<>();
    call.path("participantEmails").forEach(e -> emails.add(e.asText()));
    return CallMetadata.builder()
        .setExternalCallId(text(call, "externalCallId"))
        .setDirection(direction(text(call, "direction")))
        .setFromNumber(text(call, "fromNumber"))
        .setToNumber(text(call, "toNumber"))
        .setParticipantEmails(emails.isEmpty() ? null : emails)
        .setAgent(text(call, "agent"))
        .setStartTime(time(text(call, "startTime")))
        .build();
  }

  /** The {@code call} object of an arrival event that carries {@code metadata}: the inverse of {@link #fromCall}. */
  public static ObjectNode toCall(CallMetadata metadata) {
    ObjectNode call = JsonNodeFactory.instance.objectNode();
    putText(call, "externalCallId", metadata.getExternalCallId());
    putText(call, "direction", metadata.getDirection());
    putText(call, "fromNumber", metadata.getFromNumber());
    putText(call, "toNumber", metadata.getToNumber());
    if (metadata.getParticipantEmails() != null) {
      metadata.getParticipantEmails().forEach(call.putArray("participantEmails")::add);
    }
    putText(call, "agent", metadata.getAgent());
    if (metadata.getStartTime() != null) {
      call.put("startTime", java.time.Instant.ofEpochMilli(metadata.getStartTime().getMillis()).toString());
    }
    return call;
  }

  private static void putText(ObjectNode node, String field, @Nullable String value) {
    if (value != null) {
      node.put(field, value);
    }
  }

  /**
   * From a sidecar file: Parley's own ({@code {"call": {...}}}) or the email gateway's ({@code "source": "email"}:
   * the sender is a participant, the Message-ID the external id, the Date header the start).
   */
  public static @Nullable CallMetadata fromSidecar(JsonNode sidecar) {
    if ("email".equals(text(sidecar, "source"))) {
      String from = text(sidecar, "from");
      return CallMetadata.builder()
          .setExternalCallId(text(sidecar, "messageId"))
          .setParticipantEmails(from == null ? null : List.of(from))
          .setStartTime(time(text(sidecar, "sentAt")))
          .build();
    }
    return fromCall(sidecar.path("call"));
  }

  /** From a Cloud Storage object's custom metadata, as a notification carries it. */
  public static @Nullable CallMetadata fromObjectMetadata(Map<String, String> metadata) {
    if (metadata.keySet().stream().noneMatch(k -> k.startsWith(PREFIX))) {
      return null;
    }
    String participants = metadata.get(PREFIX + "participants");
    return CallMetadata.builder()
        .setExternalCallId(metadata.get(PREFIX + "call-id"))
        .setDirection(direction(metadata.get(PREFIX + "direction")))
        .setFromNumber(metadata.get(PREFIX + "from"))
        .setToNumber(metadata.get(PREFIX + "to"))
        .setAgent(metadata.get(PREFIX + "agent"))
        .setParticipantEmails(participants == null ? null
            : Arrays.stream(participants.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList())
        .setStartTime(time(metadata.get(PREFIX + "start-time")))
        .build();
  }

  private static @Nullable String text(JsonNode node, String field) {
    JsonNode value = node.path(field);
    return value.isTextual() && !value.asText().isBlank() ? value.asText().strip() : null;
  }

  private static @Nullable String direction(@Nullable String value) {
    if (value == null) {
      return null;
    }
    String upper = value.toUpperCase(Locale.ROOT);
    return upper.equals(CallMetadata.INBOUND) || upper.equals(CallMetadata.OUTBOUND) ? upper : null;
  }

  static @Nullable Instant time(@Nullable String value) {
    if (value == null) {
      return null;
    }
    try {
      return new Instant(java.time.Instant.parse(value).toEpochMilli());
    } catch (java.time.format.DateTimeParseException e) {
      return null;
    }
  }
}
