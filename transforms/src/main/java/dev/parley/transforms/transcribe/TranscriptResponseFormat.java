package dev.parley.transforms.transcribe;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.genai.types.Schema;
import com.google.genai.types.Type;
import dev.parley.model.ErrorCode;
import dev.parley.model.Transcript;
import dev.parley.model.TranscriptSegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The structured output Parley asks the model for, and the check of every answer against it. The schema is
 * sent as {@code responseSchema}; the answer is still validated, because a model may stop early (truncated
 * JSON) or put times outside the recording.
 */
public final class TranscriptResponseFormat {
  /** The model may overshoot the end of the audio slightly; beyond this an answer is refused. */
  private static final long END_SLACK_MILLIS = 2_000;
  private static final ObjectMapper JSON =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_TRAILING_TOKENS, true);

  public static final Schema SCHEMA = Schema.builder()
      .type(Type.Known.OBJECT)
      .properties(Map.of(
          "segments", Schema.builder()
              .type(Type.Known.ARRAY)
              .description("The call in order, one entry per speaker turn.")
              .items(Schema.builder()
                  .type(Type.Known.OBJECT)
                  .properties(Map.of(
                      "speaker", Schema.builder().type(Type.Known.STRING)
                          .description("Agent, Customer, or Speaker 1, Speaker 2, ...").build(),
                      "startMs", Schema.builder().type(Type.Known.INTEGER)
                          .description("Start of the turn in milliseconds from the start of the recording.").build(),
                      "endMs", Schema.builder().type(Type.Known.INTEGER)
                          .description("End of the turn in milliseconds from the start of the recording.").build(),
                      "text", Schema.builder().type(Type.Known.STRING).description("What was said, verbatim.").build()))
                  .required(List.of("speaker", "startMs", "endMs", "text"))
                  .propertyOrdering(List.of("speaker", "startMs", "endMs", "text"))
                  .build())
              .build(),
          "language", Schema.builder().type(Type.Known.STRING)
              .description("BCP-47 tag of the main language spoken.").build(),
          "summary", Schema.builder().type(Type.Known.STRING)
              .description("At most three sentences.").build(),
          "actionItems", Schema.builder().type(Type.Known.ARRAY)
              .items(Schema.builder().type(Type.Known.STRING).build()).build()))
      .required(List.of("segments", "language", "summary", "actionItems"))
      .propertyOrdering(List.of("segments", "language", "summary", "actionItems"))
      .build();

  private TranscriptResponseFormat() {}

  /**
   * Parses and checks an answer. Everything but tokens and model is filled in.
   *
   * @param durationMillis the recording's length, to check the segment times
   */
  public static Transcript.Builder parse(String text, long durationMillis) throws TranscriptionException {
    if (text == null || text.isBlank()) {
      throw invalid("the answer is empty");
    }
    JsonNode root;
    try {
      root = JSON.readTree(text);
    } catch (JsonProcessingException e) {
      throw invalid("the answer is not valid JSON (" + e.getOriginalMessage() + ")");
    }
    if (!root.isObject() || !root.path("segments").isArray()) {
      throw invalid("the answer has no segments array");
    }
    List<TranscriptSegment> segments = new ArrayList<>();
    long previousStart = 0;
    int index = 0;
    for (JsonNode segment : root.get("segments")) {
      String where = "segment " + index++;
      if (!segment.path("speaker").isTextual() || segment.path("speaker").asText().isBlank()) {
        throw invalid(where + " has no speaker");
      }
      if (!segment.path("text").isTextual()) {
        throw invalid(where + " has no text");
      }
      if (!segment.path("startMs").canConvertToLong() || !segment.path("endMs").canConvertToLong()) {
        throw invalid(where + " has no integer startMs/endMs");
      }
      long start = segment.get("startMs").asLong();
      long end = segment.get("endMs").asLong();
      if (start < 0 || end < start) {
        throw invalid(where + " runs from " + start + " ms to " + end + " ms");
      }
      if (end > durationMillis + END_SLACK_MILLIS) {
        throw invalid(where + " ends at " + end + " ms, after the recording's end at " + durationMillis + " ms");
      }
      if (start < previousStart) {
        throw invalid(where + " starts before the previous segment");
      }
      previousStart = start;
      segments.add(TranscriptSegment.of(segment.get("speaker").asText().strip(), start,
          Math.min(end, durationMillis), segment.get("text").asText().strip()));
    }
    List<String> actionItems = new ArrayList<>();
    for (JsonNode item : root.path("actionItems")) {
      if (item.isTextual() && !item.asText().isBlank()) {
        actionItems.add(item.asText().strip());
      }
    }
    return Transcript.builder()
        .setSegments(segments)
        .setLanguage(root.path("language").isTextual() ? root.get("language").asText() : null)
        .setSummary(root.path("summary").isTextual() ? root.get("summary").asText() : null)
        .setActionItems(actionItems);
  }

  private static TranscriptionException invalid(String why) {
    return TranscriptionException.retryable(ErrorCode.MODEL_RESPONSE_INVALID, null, why);
  }
}
