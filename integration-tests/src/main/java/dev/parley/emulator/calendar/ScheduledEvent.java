package dev.parley.emulator.calendar;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * An event in a {@link CalendarStandIn} calendar: timed (start and end instants) or all day (a date), once or
 * daily for a number of occurrences (a recurring event, {@code RRULE:FREQ=DAILY;COUNT=n}), with an organizer and
 * attendees. Built with withers: {@code ScheduledEvent.timed(...).organizedBy(...).with(...)}.
 */
public record ScheduledEvent(
    String id,
    String summary,
    @Nullable Instant start,
    @Nullable Instant end,
    @Nullable LocalDate day,
    @Nullable String organizerEmail,
    @Nullable String organizerName,
    List<Attendee> attendees,
    int occurrences) {

  /** An invitee: a person, or a resource such as a room. */
  public record Attendee(String email, String displayName, String responseStatus, boolean resource) {}

  public static ScheduledEvent timed(String id, String summary, Instant start, Instant end) {
    return new ScheduledEvent(id, summary, start, end, null, null, null, List.of(), 1);
  }

  public static ScheduledEvent allDay(String id, String summary, LocalDate day) {
    return new ScheduledEvent(id, summary, null, null, day, null, null, List.of(), 1);
  }

  public static Attendee person(String email, String displayName, String responseStatus) {
    return new Attendee(email, displayName, responseStatus, false);
  }

  public static Attendee room(String email, String displayName) {
    return new Attendee(email, displayName, "accepted", true);
  }

  public ScheduledEvent organizedBy(String email, String name) {
    return new ScheduledEvent(id, summary, start, end, day, email, name, attendees, occurrences);
  }

  public ScheduledEvent with(Attendee... invitees) {
    return new ScheduledEvent(id, summary, start, end, day, organizerEmail, organizerName, List.of(invitees), occurrences);
  }

  /** Recurring: the same time on {@code count} consecutive days. */
  public ScheduledEvent daily(int count) {
    return new ScheduledEvent(id, summary, start, end, day, organizerEmail, organizerName, attendees, count);
  }

  public boolean recurring() {
    return occurrences > 1;
  }

  /** Where occurrence {@code n} (from 0) starts; an all-day event's day starts at midnight UTC. */
  Instant startOf(int n) {
    Instant first = day != null ? day.atStartOfDay(ZoneOffset.UTC).toInstant() : start;
    return first.plus(java.time.Duration.ofDays(n));
  }

  Instant endOf(int n) {
    Instant first = day != null ? day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant() : end;
    return first.plus(java.time.Duration.ofDays(n));
  }
}
