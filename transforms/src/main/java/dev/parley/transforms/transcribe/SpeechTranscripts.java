package dev.parley.transforms.transcribe;

import com.google.cloud.speech.v2.SpeechRecognitionAlternative;
import com.google.cloud.speech.v2.SpeechRecognitionResult;
import com.google.cloud.speech.v2.WordInfo;
import com.google.protobuf.Duration;
import dev.parley.model.Transcript;
import dev.parley.model.TranscriptSegment;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns Speech-to-Text results into segments: a new segment at every change of diarized speaker, timed by
 * its first and last word. Without speaker labels each result is one segment of "Speaker 1".
 */
final class SpeechTranscripts {
  private SpeechTranscripts() {}

  static Transcript.Builder toTranscript(List<SpeechRecognitionResult> results, long durationMillis) {
    List<TranscriptSegment> segments = new ArrayList<>();
    String language = null;
    long resultStart = 0;
    for (SpeechRecognitionResult result : results) {
      if (language == null && !result.getLanguageCode().isEmpty()) {
        language = result.getLanguageCode();
      }
      if (result.getAlternativesCount() == 0) {
        continue;
      }
      SpeechRecognitionAlternative best = result.getAlternatives(0);
      long resultEnd = Math.min(millis(result.getResultEndOffset()), durationMillis);
      if (best.getWordsCount() == 0) {
        if (!best.getTranscript().isBlank()) {
          segments.add(TranscriptSegment.of("Speaker 1", resultStart, Math.max(resultStart, resultEnd), best.getTranscript().strip()));
        }
      } else {
        appendWords(segments, best.getWordsList(), durationMillis);
      }
      resultStart = resultEnd;
    }
    return Transcript.builder().setSegments(segments).setLanguage(language).setSummary(null).setActionItems(List.of());
  }

  private static void appendWords(List<TranscriptSegment> segments, List<WordInfo> words, long durationMillis) {
    String speaker = null;
    StringBuilder text = new StringBuilder();
    long start = 0;
    long end = 0;
    for (WordInfo word : words) {
      String label = word.getSpeakerLabel().isEmpty() ? "Speaker 1" : "Speaker " + word.getSpeakerLabel();
      if (!label.equals(speaker) && speaker != null) {
        segments.add(TranscriptSegment.of(speaker, start, end, text.toString()));
        text.setLength(0);
      }
      if (text.length() == 0) {
        start = Math.min(millis(word.getStartOffset()), durationMillis);
      }
      speaker = label;
      end = Math.max(start, Math.min(millis(word.getEndOffset()), durationMillis));
      text.append(text.length() == 0 ? "" : " ").append(word.getWord());
    }
    if (speaker != null) {
      segments.add(TranscriptSegment.of(speaker, start, end, text.toString()));
    }
  }

  private static long millis(Duration d) {
    return d.getSeconds() * 1000 + d.getNanos() / 1_000_000;
  }
}
