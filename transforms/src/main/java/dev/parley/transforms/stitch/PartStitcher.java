package dev.parley.transforms.stitch;

import dev.parley.model.AudioPart;
import dev.parley.model.CallRecord;
import dev.parley.model.Transcript;
import dev.parley.model.TranscriptSegment;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Puts the transcribed parts of one call back together into the call's record.
 *
 * <p>Per channel, in chunk order: every segment is moved to the original timeline through its part's time map,
 * and kept only by the chunk that owns its midpoint (chunks overlap around each cut). What both chunks still
 * heard at a seam, because the model's timing is not exact, is recognised by its words and kept once. Speaker
 * labels are made consistent across chunks from those repeated segments ("Speaker 2" of one chunk may be
 * "Speaker 1" of the next); a channel with a role labels every segment with it. The channels are then merged
 * by start time.
 */
public final class PartStitcher {
  /** How far a later chunk's segment may start before the earlier chunk's last one ends and still be a repeat. */
  static final long SEAM_SLACK_MILLIS = 2_000;

  private PartStitcher() {}

  public static CallRecord stitch(List<CallRecord> parts) {
    List<CallRecord> ordered = new ArrayList<>(parts);
    ordered.sort(Comparator.comparing((CallRecord r) -> Objects.toString(r.getPart().getChannelRole(), ""))
        .thenComparingInt(r -> r.getPart().getChunkIndex()));
    Map<String, List<TranscriptSegment>> channels = new LinkedHashMap<>();
    for (CallRecord part : ordered) {
      String channel = Objects.toString(part.getPart().getChannelRole(), "");
      append(channels.computeIfAbsent(channel, k -> new ArrayList<>()), part);
    }
    List<TranscriptSegment> segments = new ArrayList<>();
    channels.values().forEach(segments::addAll);
    segments.sort(Comparator.comparingLong(TranscriptSegment::getStartMillis)); // stable: channel order on ties
    return record(ordered, segments);
  }

  private static void append(List<TranscriptSegment> stream, CallRecord record) {
    AudioPart part = record.getPart();
    PartTimeline timeline = new PartTimeline(part);
    String role = part.getChannelRole();
    List<TranscriptSegment> owned = new ArrayList<>();
    for (TranscriptSegment s : record.getTranscript().getSegments()) {
      long start = timeline.toOriginal(s.getStartMillis());
      long end = Math.max(start, timeline.toOriginal(s.getEndMillis()));
      long middle = (start + end) / 2;
      if (middle >= part.getOwnedFromMillis() && middle < part.getOwnedToMillis()) {
        String speaker = role == null ? s.getSpeaker() : label(role);
        owned.add(TranscriptSegment.of(speaker, start, end, s.getText()));
      }
    }
    Map<String, String> speakers = new HashMap<>();
    List<TranscriptSegment> kept = dropRepeats(stream, owned, speakers);
    for (TranscriptSegment s : kept) {
      stream.add(TranscriptSegment.of(speakers.getOrDefault(s.getSpeaker(), s.getSpeaker()), s.getStartMillis(),
          s.getEndMillis(), s.getText()));
    }
  }

  /**
   * The later chunk's segments without what repeats the earlier chunk's end; fills {@code speakers} with the
   * later chunk's labels as the earlier chunk named the same voice.
   */
  private static List<TranscriptSegment> dropRepeats(List<TranscriptSegment> stream, List<TranscriptSegment> next,
      Map<String, String> speakers) {
    if (stream.isEmpty()) {
      return next;
    }
    long seamEnd = stream.get(stream.size() - 1).getEndMillis() + SEAM_SLACK_MILLIS;
    List<TranscriptSegment> kept = new ArrayList<>();
    for (TranscriptSegment s : next) {
      if (s.getStartMillis() >= seamEnd) {
        kept.add(s);
        continue;
      }
      List<String> words = SeamText.words(s.getText());
      TranscriptSegment twin = null;
      int repeated = 0;
      for (int i = stream.size() - 1; i >= 0 && stream.get(i).getEndMillis() + SEAM_SLACK_MILLIS > s.getStartMillis(); i--) {
        repeated = SeamText.repeatedLeadingWords(SeamText.words(stream.get(i).getText()), words);
        if (repeated > 0) {
          twin = stream.get(i);
          break;
        }
      }
      if (twin == null) {
        kept.add(s);
        continue;
      }
      if (!speakers.containsKey(s.getSpeaker()) && !speakers.containsValue(twin.getSpeaker())) {
        speakers.put(s.getSpeaker(), twin.getSpeaker());
        // Two voices named the other way round: the other label swaps too, unless it is already taken.
        speakers.putIfAbsent(twin.getSpeaker(), s.getSpeaker());
      }
      if (repeated < words.size()) {
        kept.add(TranscriptSegment.of(s.getSpeaker(), Math.max(s.getStartMillis(), twin.getEndMillis()),
            s.getEndMillis(), SeamText.dropLeadingWords(s.getText(), repeated)));
      }
    }
    return kept;
  }

  private static String label(String role) {
    return role.substring(0, 1).toUpperCase(Locale.ROOT) + role.substring(1);
  }

  private static CallRecord record(List<CallRecord> parts, List<TranscriptSegment> segments) {
    CallRecord first = parts.get(0);
    AudioPart part = first.getPart();
    LinkedHashSet<String> summaries = new LinkedHashSet<>();
    LinkedHashSet<String> actionItems = new LinkedHashSet<>();
    long inputTokens = 0;
    long outputTokens = 0;
    long billed = 0;
    Double cost = 0.0;
    String language = null;
    org.joda.time.Instant processed = first.getProcessedAt();
    for (CallRecord p : parts) {
      Transcript t = p.getTranscript();
      if (t.getSummary() != null && !t.getSummary().isBlank()) {
        summaries.add(t.getSummary().strip());
      }
      actionItems.addAll(t.getActionItems());
      language = language != null ? language : t.getLanguage();
      inputTokens += t.getInputTokens();
      outputTokens += t.getOutputTokens();
      billed += p.getAudio().getDurationMillis();
      cost = cost == null || p.getEstimatedCostUsd() == null ? null : cost + p.getEstimatedCostUsd();
      processed = p.getProcessedAt().isAfter(processed) ? p.getProcessedAt() : processed;
    }
    Transcript transcript = Transcript.builder()
        .setSegments(segments)
        .setLanguage(language)
        .setSummary(summaries.isEmpty() ? null : String.join(" ", summaries))
        .setActionItems(new ArrayList<>(actionItems))
        .setModel(first.getTranscript().getModel())
        .setInputTokens(inputTokens)
        .setOutputTokens(outputTokens)
        .build();
    return first.toBuilder()
        .setCallId(part.getParentArrival().getCallId())
        .setSourceUri(part.getParentArrival().getSourceUri())
        .setObjectGeneration(part.getParentArrival().getObjectGeneration())
        .setAudio(part.getParentAudio())
        // One digest names the audio the model heard only when it heard one file.
        .setAudioSha256(parts.size() == 1 ? first.getAudioSha256() : null)
        .setTranscript(transcript)
        .setEstimatedCostUsd(cost)
        .setProcessedAt(processed)
        .setRawAudioMillis(part.getParentAudio().getDurationMillis())
        .setBilledAudioMillis(billed)
        .setPart(null)
        .build();
  }
}
