package dev.parley.transforms.replay;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.model.DeadLetter;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Instant;

/**
 * A row of the {@code dead_letters} table, as the local store writes it and the dead-letter topic carries it
 * ({@code CallRows.deadLetter}), read back into a {@link DeadLetter}.
 */
public final class DeadLetterRow {
  private static final ObjectMapper JSON = new ObjectMapper();

  private DeadLetterRow() {}

  public static DeadLetter parse(String line) throws JsonProcessingException {
    JsonNode row = JSON.readTree(line);
    return DeadLetter.builder()
        .setStage(required(row, "Stage"))
        .setErrorCode(required(row, "ErrorCode"))
        .setMessage(row.path("Message").asText(""))
        .setTenantId(optional(row, "TenantId"))
        .setSourceUri(optional(row, "SourceUri"))
        .setCallId(optional(row, "CallId"))
        .setAttempts(row.path("Attempts").asInt(1))
        .setFailedAt(new Instant(java.time.Instant.parse(required(row, "FailedAt")).toEpochMilli()))
        .setPayloadType(required(row, "PayloadType"))
        .setPayload(required(row, "Payload"))
        .build();
  }

  private static String required(JsonNode row, String column) {
    String value = optional(row, column);
    if (value == null) {
      throw new IllegalArgumentException("not a dead-letter row: no " + column);
    }
    return value;
  }

  private static @Nullable String optional(JsonNode row, String column) {
    JsonNode value = row.path(column);
    return value.isTextual() ? value.asText() : null;
  }
}
