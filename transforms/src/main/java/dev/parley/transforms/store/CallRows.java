package dev.parley.transforms.store;

import dev.parley.model.CalendarAttendee;
import dev.parley.model.CalendarMatch;
import dev.parley.model.CallMetadata;
import dev.parley.model.CallRecord;
import dev.parley.model.CrmSync;
import dev.parley.model.DeadLetter;
import dev.parley.model.TranscriptSegment;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link CallRecord} and what follows from it as table rows, with the table and column names of the Spanner
 * schema ({@code spanner/V*.sql}): one {@code Calls} row, its {@code TranscriptSegments}, its {@code TenantUsage}
 * row, its {@code CalendarMatches} row and {@code CalendarAttendees} (tenants with calendar enrichment), and each
 * CRM outcome's {@code CrmSync} row. The local store and Spanner write these same rows.
 */
public final class CallRows {
  public static final String CALLS = "Calls";
  public static final String SEGMENTS = "TranscriptSegments";
  public static final String USAGE = "TenantUsage";
  public static final String CRM_SYNC = "CrmSync";
  public static final String DEAD_LETTERS = "DeadLetters";
  public static final String CALENDAR_MATCHES = "CalendarMatches";
  public static final String CALENDAR_ATTENDEES = "CalendarAttendees";

  /**
   * Longest text of one segment row. A longer speaker turn continues in the next rows ({@code Continuation}):
   * 256k characters are at most 1 MiB of UTF-8, far below Spanner's 10 MiB per value.
   */
  static final int MAX_SEGMENT_TEXT_CHARS = 256 * 1024;

  private CallRows() {}

  public static StoreRow call(CallRecord record) {
    CallMetadata metadata = record.getMetadata() == null ? CallMetadata.builder().build() : record.getMetadata();
    return StoreRow.in(CALLS)
        .set("TenantId", record.getTenantId())
        .set("CallId", record.getCallId())
        .set("SourceUri", record.getSourceUri())
        .set("ObjectGeneration", record.getObjectGeneration())
        .set("Status", record.getStatus())
        .set("Engine", record.getEngine())
        .set("Model", record.getTranscript().getModel())
        .set("Language", record.getTranscript().getLanguage())
        .set("Summary", record.getTranscript().getSummary())
        .setStrings("ActionItems", record.getTranscript().getActionItems())
        .set("AudioFormat", record.getAudio().getFormat())
        .set("AudioCodec", record.getAudio().getCodec())
        .set("DurationMillis", record.getAudio().getDurationMillis())
        .set("SampleRateHz", (long) record.getAudio().getSampleRateHz())
        .set("Channels", (long) record.getAudio().getChannels())
        .set("RawAudioMillis", record.getRawAudioMillis())
        .set("BilledAudioMillis", record.getBilledAudioMillis())
        .set("AudioSha256", record.getAudioSha256())
        .set("InputTokens", record.getTranscript().getInputTokens())
        .set("OutputTokens", record.getTranscript().getOutputTokens())
        .set("EstimatedCostUsd", record.getEstimatedCostUsd())
        .set("SegmentCount", (long) segments(record).size())
        .set("AdmissionWaitMillis", record.getAdmissionWaitMillis())
        .set("ExternalCallId", metadata.getExternalCallId())
        .set("Direction", metadata.getDirection())
        .set("FromNumber", metadata.getFromNumber())
        .set("ToNumber", metadata.getToNumber())
        .set("Agent", metadata.getAgent())
        .setStrings("ParticipantEmails", metadata.getParticipantEmails())
        .set("CallStartTime", metadata.getStartTime())
        .set("ArrivedAt", record.getArrivedAt())
        .set("ProcessedAt", record.getProcessedAt())
        .build();
  }

  /** One row per speaker turn, or several for a turn longer than {@link #MAX_SEGMENT_TEXT_CHARS}. */
  public static List<StoreRow> segments(CallRecord record) {
    List<StoreRow> rows = new ArrayList<>();
    for (TranscriptSegment segment : record.getTranscript().getSegments()) {
      String text = segment.getText();
      int from = 0;
      do {
        int to = Math.min(text.length(), from + MAX_SEGMENT_TEXT_CHARS);
        if (to < text.length() && Character.isHighSurrogate(text.charAt(to - 1))) {
          to--; // Never split a surrogate pair.
        }
        rows.add(StoreRow.in(SEGMENTS)
            .set("TenantId", record.getTenantId())
            .set("CallId", record.getCallId())
            .set("SegmentIndex", (long) rows.size())
            .set("Speaker", segment.getSpeaker())
            .set("StartMillis", segment.getStartMillis())
            .set("EndMillis", segment.getEndMillis())
            .set("Text", text.substring(from, to))
            .set("Continuation", from > 0)
            .build());
        from = to;
      } while (from < text.length());
    }
    return rows;
  }

  /** The call's {@code CalendarMatches} row; none when its tenant has no calendar enrichment. */
  public static List<StoreRow> calendarMatch(CallRecord record) {
    CalendarMatch match = record.getCalendar();
    if (match == null) {
      return List.of();
    }
    return List.of(StoreRow.in(CALENDAR_MATCHES)
        .set("TenantId", record.getTenantId())
        .set("CallId", record.getCallId())
        .set("Status", match.getStatus())
        .set("Reason", match.getReason())
        .set("Detail", match.getDetail())
        .set("CalendarId", match.getCalendarId())
        .set("CallStartTime", match.getCallStartTime())
        .set("EventId", match.getEventId())
        .set("Title", match.getTitle())
        .set("EventStart", match.getEventStart())
        .set("EventEnd", match.getEventEnd())
        .set("OrganizerEmail", match.getOrganizerEmail())
        .set("OrganizerName", match.getOrganizerName())
        .set("AttendeeCount", (long) match.getAttendees().size())
        .set("ExternalAttendeeCount", (long) match.getExternalAttendeeCount())
        .set("CandidateCount", (long) match.getCandidateCount())
        .set("DecidedBy", match.getDecidedBy())
        .build());
  }

  /** One row per attendee of the call's meeting. */
  public static List<StoreRow> calendarAttendees(CallRecord record) {
    List<StoreRow> rows = new ArrayList<>();
    if (record.getCalendar() == null) {
      return rows;
    }
    for (CalendarAttendee attendee : record.getCalendar().getAttendees()) {
      rows.add(StoreRow.in(CALENDAR_ATTENDEES)
          .set("TenantId", record.getTenantId())
          .set("CallId", record.getCallId())
          .set("AttendeeIndex", (long) rows.size())
          .set("Email", attendee.getEmail())
          .set("DisplayName", attendee.getDisplayName())
          .set("ResponseStatus", attendee.getResponseStatus())
          .set("Organizer", attendee.getOrganizer())
          .set("External", attendee.getExternal())
          .build());
    }
    return rows;
  }

  /**
   * The call's line in the tenant's usage ledger, dated by the day (UTC) the recording arrived: the same day on
   * every redelivery, so a replayed call rewrites its line instead of counting twice.
   */
  public static StoreRow usage(CallRecord record) {
    return StoreRow.in(USAGE)
        .set("TenantId", record.getTenantId())
        .set("UsageDate", usageDate(record))
        .set("CallId", record.getCallId())
        .set("AudioMillis", record.getAudio().getDurationMillis())
        .set("InputTokens", record.getTranscript().getInputTokens())
        .set("OutputTokens", record.getTranscript().getOutputTokens())
        .set("EstimatedCostUsd", record.getEstimatedCostUsd())
        .set("Model", record.getTranscript().getModel())
        .build();
  }

  public static LocalDate usageDate(CallRecord record) {
    return LocalDate.ofInstant(java.time.Instant.ofEpochMilli(record.getArrivedAt().getMillis()), ZoneOffset.UTC);
  }

  public static StoreRow crmSync(CrmSync sync) {
    return StoreRow.in(CRM_SYNC)
        .set("TenantId", sync.getTenantId())
        .set("CallId", sync.getCallId())
        .set("Crm", sync.getCrm())
        .set("Status", sync.getStatus())
        .set("ExternalId", sync.getExternalId())
        .set("ContactId", sync.getContactId())
        .set("Created", sync.getCreated())
        .set("Attempts", (long) sync.getAttempts())
        .set("ErrorCode", sync.getErrorCode())
        .set("LastError", sync.getLastError())
        .set("SyncedAt", sync.getSyncedAt())
        .build();
  }

  public static StoreRow deadLetter(DeadLetter letter) {
    return StoreRow.in(DEAD_LETTERS)
        .set("Stage", letter.getStage())
        .set("ErrorCode", letter.getErrorCode())
        .set("Message", letter.getMessage())
        .set("TenantId", letter.getTenantId())
        .set("SourceUri", letter.getSourceUri())
        .set("CallId", letter.getCallId())
        .set("Attempts", (long) letter.getAttempts())
        .set("FailedAt", letter.getFailedAt())
        .set("PayloadType", letter.getPayloadType())
        .set("Payload", letter.getPayload())
        .build();
  }
}
