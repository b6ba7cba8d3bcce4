package dev.parley.tools;

import dev.parley.model.AudioInfo;
import dev.parley.model.CalendarAttendee;
import dev.parley.model.CalendarMatch;
import dev.parley.model.CallMetadata;
import dev.parley.model.CallRecord;
import dev.parley.model.Transcript;
import dev.parley.model.TranscriptSegment;
import java.util.ArrayList;
import java.util.List;
import org.joda.time.Instant;

/**
 * Transcribed calls as the sinks receive them, for the sink tests and benchmarks: an inbound call from
 * +14155550123 with pat@customer.example on it, two seconds per speaker turn, a summary and an action item; and the
 * same call matched to its agent's meeting, as calendar enrichment leaves it.
 */
public final class SampleCalls {
  private static final Instant ARRIVED = Instant.parse("2026-11-25T10:15:00Z");
  private static final Instant PROCESSED = Instant.parse("2026-11-25T10:16:00Z");

  public static final String MEETING_TITLE = "Quarterly review with Customer Co";
  public static final String AGENT = "dana@acme.example";
  public static final String ATTENDEE = "pat.buyer@customer.example";

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

  /** The sample call of agent {@link #AGENT}, matched to a meeting with a colleague and one external attendee. */
  public static CallRecord inMeeting(String tenant, String callId, int segments) {
    CallRecord call = call(tenant, callId, segments);
    return call.toBuilder()
        .setMetadata(call.getMetadata().toBuilder().setAgent(AGENT).build())
        .setCalendar(CalendarMatch.builder().setStatus(CalendarMatch.MATCHED).setCalendarId(AGENT)
            .setCallStartTime(ARRIVED).setEventId("quote").setTitle(MEETING_TITLE)
            .setEventStart(ARRIVED.minus(600_000)).setEventEnd(ARRIVED.plus(1_200_000))
            .setOrganizerEmail(AGENT).setOrganizerName("Dana Agent")
            .setAttendees(List.of(CalendarAttendee.of(AGENT, "Dana Agent", "accepted", true, false),
                CalendarAttendee.of(ATTENDEE, "Pat Buyer", "accepted", false, true)))
            .setExternalAttendeeCount(1).setCandidateCount(1).setDecidedBy("ONLY_CANDIDATE").build())
        .build();
  }
}
