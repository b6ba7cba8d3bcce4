package dev.parley.tools;

import dev.parley.model.AudioInfo;
import dev.parley.model.CallMetadata;
import dev.parley.model.CallRecord;
import dev.parley.model.Transcript;
import dev.parley.model.TranscriptSegment;
import java.util.ArrayList;
import java.util.List;
import org.joda.time.Instant;

/**
 * Transcribed calls as the sinks receive them, for the sink tests and benchmarks: an inbound call from
 * +14155550123 with pat@customer.example on it, two seconds per speaker turn, a summary and an action item.
 */
public final class SampleCalls {
  private static final Instant ARRIVED = Instant.parse("2026-11-25T10:15:00Z");
  private static final Instant PROCESSED = Instant.parse("2026-11-25T10:16:00Z");

  private SampleCalls() {}

  public static CallRecord call(String tenant, String callId, int segments) {
    List<TranscriptSegment> list = new ArrayList<>();
    for (int i = 0; i < segments; i++) {
      list.add(TranscriptSegment.of(i % 2 == 0 ? "Agent" : "Customer", i * 2000L, i * 2000L + 1800,
          "turn " + i + " of call " + callId));
    }
    return CallRecord.builder().setTenantId(tenant).setCallId(callId).setSourceUri("gs://drop/" + tenant + "/" + callId + ".wav")
        .setObjectGeneration(7L)
        .setMetadata(CallMetadata.builder().setDirection(CallMetadata.INBOUND).setFromNumber("+14155550123")
            .setToNumber("+14155559876").setParticipantEmails(List.of("pat@customer.example")).build())
        .setAudio(AudioInfo.builder().setFormat("WAV").setCodec("PCM_S16LE").setMimeType("audio/wav")
            .setDurationMillis(segments * 2000L).setSampleRateHz(8000).setChannels(1).build())
        .setTranscript(Transcript.builder().setSegments(list).setLanguage("en-US")
            .setSummary("Pat asked for a quote for fifty seats.").setActionItems(List.of("Send the quote"))
            .setModel("gemini/gemini-2.5-flash").setInputTokens(64L * segments).setOutputTokens(20).build())
        .setEngine("gemini").setStatus(CallRecord.STATUS_TRANSCRIBED).setEstimatedCostUsd(0.0012)
        .setArrivedAt(ARRIVED).setProcessedAt(PROCESSED)
        .build();
  }
}
