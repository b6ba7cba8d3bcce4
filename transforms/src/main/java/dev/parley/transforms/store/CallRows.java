package dev.parley.transforms.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.model.CallMetadata;
import dev.parley.model.CallRecord;
import dev.parley.model.DeadLetter;
import dev.parley.model.TranscriptSegment;
import java.util.ArrayList;
import java.util.List;
import org.joda.time.Instant;

/**
 * A {@link CallRecord} as table rows: one {@code Calls} row and one {@code TranscriptSegments} row per segment,
 * with the column names of the Spanner schema, so the local store and Spanner hold the same tables.
 */
public final class CallRows {
  private static final ObjectMapper JSON = new ObjectMapper();

  private CallRows() {}

  public static ObjectNode call(CallRecord record) {
    ObjectNode row = JSON.createObjectNode()
        .put("TenantId", record.getTenantId())
        .put("CallId", record.getCallId())
        .put("SourceUri", record.getSourceUri())
        .put("ObjectGeneration", record.getObjectGeneration())
        .put("Status", record.getStatus())
        .put("Engine", record.getEngine())
        .put("Model", record.getTranscript().getModel())
        .put("Language", record.getTranscript().getLanguage())
        .put("Summary", record.getTranscript().getSummary())
        .put("AudioFormat", record.getAudio().getFormat())
        .put("AudioCodec", record.getAudio().getCodec())
        .put("DurationMillis", record.getAudio().getDurationMillis())
        .put("SampleRateHz", record.getAudio().getSampleRateHz())
        .put("Channels", record.getAudio().getChannels())
        .put("RawAudioMillis", record.getRawAudioMillis())
        .put("BilledAudioMillis", record.getBilledAudioMillis())
        .put("AudioSha256", record.getAudioSha256())
        .put("InputTokens", record.getTranscript().getInputTokens())
        .put("OutputTokens", record.getTranscript().getOutputTokens())
        .put("EstimatedCostUsd", record.getEstimatedCostUsd())
        .put("SegmentCount", record.getTranscript().getSegments().size())
        .put("ArrivedAt", time(record.getArrivedAt()))
        .put("ProcessedAt", time(record.getProcessedAt()));
    ArrayNode actionItems = row.putArray("ActionItems");
    record.getTranscript().getActionItems().forEach(actionItems::add);
    CallMetadata metadata = record.getMetadata();
    if (metadata != null) {
      row.put("ExternalCallId", metadata.getExternalCallId())
          .put("Direction", metadata.getDirection())
          .put("FromNumber", metadata.getFromNumber())
          .put("ToNumber", metadata.getToNumber())
          .put("Agent", metadata.getAgent())
          .put("CallStartTime", time(metadata.getStartTime()));
      if (metadata.getParticipantEmails() != null) {
        ArrayNode emails = row.putArray("ParticipantEmails");
        metadata.getParticipantEmails().forEach(emails::add);
      }
    }
    return row;
  }

  public static List<ObjectNode> segments(CallRecord record) {
    List<ObjectNode> rows = new ArrayList<>();
    List<TranscriptSegment> segments = record.getTranscript().getSegments();
    for (int i = 0; i < segments.size(); i++) {
      TranscriptSegment segment = segments.get(i);
      rows.add(JSON.createObjectNode()
          .put("TenantId", record.getTenantId())
          .put("CallId", record.getCallId())
          .put("SegmentIndex", i)
          .put("Speaker", segment.getSpeaker())
          .put("StartMillis", segment.getStartMillis())
          .put("EndMillis", segment.getEndMillis())
          .put("Text", segment.getText()));
    }
    return rows;
  }

  public static ObjectNode deadLetter(DeadLetter letter) {
    return JSON.createObjectNode()
        .put("Stage", letter.getStage())
        .put("ErrorCode", letter.getErrorCode())
        .put("Message", letter.getMessage())
        .put("TenantId", letter.getTenantId())
        .put("SourceUri", letter.getSourceUri())
        .put("CallId", letter.getCallId())
        .put("Attempts", letter.getAttempts())
        .put("FailedAt", time(letter.getFailedAt()))
        .put("PayloadType", letter.getPayloadType())
        .put("Payload", letter.getPayload());
  }

  private static String time(Instant instant) {
    return instant == null ? null : instant.toString();
  }
}
