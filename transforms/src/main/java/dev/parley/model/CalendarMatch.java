package dev.parley.model;

import com.google.auto.value.AutoValue;
import java.util.List;
import org.apache.beam.sdk.schemas.AutoValueSchema;
import org.apache.beam.sdk.schemas.annotations.DefaultSchema;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Instant;

/**
 * The meeting a call was matched to in its agent's calendar, or why there is none. {@link #MATCHED}: one event
 * overlapped the call's start. {@link #AMBIGUOUS_RESOLVED}: several did, and {@link #getDecidedBy} names the rule
 * that chose among the {@link #getCandidateCount} candidates. {@link #MISSING}: a {@link CalendarMissReason} in
 * {@link #getReason}, and the event fields are null.
 */
@DefaultSchema(AutoValueSchema.class)
@AutoValue
public abstract class CalendarMatch {
  public static final String MATCHED = "MATCHED";
  public static final String AMBIGUOUS_RESOLVED = "AMBIGUOUS_RESOLVED";
  public static final String MISSING = "MISSING";

  /** {@link #MATCHED}, {@link #AMBIGUOUS_RESOLVED} or {@link #MISSING}. */
  public abstract String getStatus();

  /** The {@link CalendarMissReason} name when missing. */
  public abstract @Nullable String getReason();

  /** What went wrong, for people, redacted; null unless missing for a reason worth explaining. */
  public abstract @Nullable String getDetail();

  /** The calendar looked in; null when the call named no agent. */
  public abstract @Nullable String getCalendarId();

  /** The call's start the meeting was matched against: its metadata's, else arrival minus duration. */
  public abstract Instant getCallStartTime();

  public abstract @Nullable String getEventId();

  public abstract @Nullable String getTitle();

  public abstract @Nullable Instant getEventStart();

  public abstract @Nullable Instant getEventEnd();

  public abstract @Nullable String getOrganizerEmail();

  public abstract @Nullable String getOrganizerName();

  public abstract List<CalendarAttendee> getAttendees();

  public abstract int getExternalAttendeeCount();

  /** Events that overlapped the call's start. */
  public abstract int getCandidateCount();

  /** The rule that chose the event (a {@code MeetingChoice} name); null when missing. */
  public abstract @Nullable String getDecidedBy();

  public static Builder builder() {
    return new AutoValue_CalendarMatch.Builder().setAttendees(List.of()).setExternalAttendeeCount(0).setCandidateCount(0);
  }

  /** No meeting, for {@code reason}. */
  public static CalendarMatch missing(CalendarMissReason reason, @Nullable String detail, @Nullable String calendarId,
      Instant callStartTime) {
    return builder().setStatus(MISSING).setReason(reason.name()).setDetail(detail).setCalendarId(calendarId)
        .setCallStartTime(callStartTime).build();
  }

  public boolean hasMeeting() {
    return !MISSING.equals(getStatus());
  }

  @AutoValue.Builder
  public abstract static class Builder {
    public abstract Builder setStatus(String value);

    public abstract Builder setReason(@Nullable String value);

    public abstract Builder setDetail(@Nullable String value);

    public abstract Builder setCalendarId(@Nullable String value);

    public abstract Builder setCallStartTime(Instant value);

    public abstract Builder setEventId(@Nullable String value);

    public abstract Builder setTitle(@Nullable String value);

    public abstract Builder setEventStart(@Nullable Instant value);

    public abstract Builder setEventEnd(@Nullable Instant value);

    public abstract Builder setOrganizerEmail(@Nullable String value);

    public abstract Builder setOrganizerName(@Nullable String value);

    public abstract Builder setAttendees(List<CalendarAttendee> value);

    public abstract Builder setExternalAttendeeCount(int value);

    public abstract Builder setCandidateCount(int value);

    public abstract Builder setDecidedBy(@Nullable String value);

    public abstract CalendarMatch build();
  }
}
