package dev.parley.transforms.calendar;

import com.google.api.services.calendar.model.Event;
import com.google.api.services.calendar.model.EventAttendee;
import com.google.api.services.calendar.model.EventDateTime;
import dev.parley.model.CalendarAttendee;
import dev.parley.model.CalendarMatch;
import dev.parley.model.CalendarMissReason;
import dev.parley.tenant.MailAddresses;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Instant;

/**
 * Chooses the meeting a call belongs to among its agent's events. A candidate is a timed event (all-day events are
 * days, not meetings), not cancelled, not declined by the calendar's owner, that the call starts in or that starts
 * at most {@code window} after the call (agents dial in early). Among several, ambiguity is resolved by rules, not
 * guessed, and the rule is recorded ({@link MeetingChoice}): the most external attendees (a call is with a
 * customer), then the start closest to the call's, then the event id.
 */
final class MeetingMatcher {
  private static final String CANCELLED = "cancelled";
  private static final String DECLINED = "declined";

  private MeetingMatcher() {}

  static CalendarMatch match(List<Event> events, String calendarId, Instant callStart, Duration window,
      Set<String> internalDomains) {
    List<Candidate> candidates = new ArrayList<>();
    for (Event event : events) {
      Instant start = timeOf(event.getStart());
      Instant end = timeOf(event.getEnd());
      if (start == null || end == null || CANCELLED.equals(event.getStatus()) || declinedBy(event, calendarId)) {
        continue;
      }
      if (!start.minus(window.toMillis()).isAfter(callStart) && callStart.isBefore(end)) {
        List<CalendarAttendee> attendees = attendees(event, internalDomains);
        candidates.add(new Candidate(event, start, end, attendees,
            (int) attendees.stream().filter(CalendarAttendee::getExternal).count(),
            Math.abs(start.getMillis() - callStart.getMillis())));
      }
    }
    if (candidates.isEmpty()) {
      return CalendarMatch.missing(CalendarMissReason.NO_OVERLAPPING_EVENT, null, calendarId, callStart);
    }
    candidates.sort(Comparator.comparingInt(Candidate::external).reversed()
        .thenComparingLong(Candidate::distanceMillis)
        .thenComparing(c -> c.event().getId(), Comparator.nullsLast(Comparator.naturalOrder())));
    Candidate best = candidates.get(0);
    MeetingChoice rule = candidates.size() == 1 ? MeetingChoice.ONLY_CANDIDATE
        : best.external() > candidates.get(1).external() ? MeetingChoice.MOST_EXTERNAL_ATTENDEES
        : best.distanceMillis() < candidates.get(1).distanceMillis() ? MeetingChoice.CLOSEST_START
        : MeetingChoice.EVENT_ID;
    Event event = best.event();
    return CalendarMatch.builder()
        .setStatus(candidates.size() == 1 ? CalendarMatch.MATCHED : CalendarMatch.AMBIGUOUS_RESOLVED)
        .setCalendarId(calendarId)
        .setCallStartTime(callStart)
        .setEventId(event.getId())
        .setTitle(event.getSummary())
        .setEventStart(best.start())
        .setEventEnd(best.end())
        .setOrganizerEmail(event.getOrganizer() == null ? null : event.getOrganizer().getEmail())
        .setOrganizerName(event.getOrganizer() == null ? null : event.getOrganizer().getDisplayName())
        .setAttendees(best.attendees())
        .setExternalAttendeeCount(best.external())
        .setCandidateCount(candidates.size())
        .setDecidedBy(rule.name())
        .build();
  }

  private record Candidate(Event event, Instant start, Instant end, List<CalendarAttendee> attendees, int external,
      long distanceMillis) {}

  /** The instant of a timed event's start or end; null for an all-day event's date. */
  private static @Nullable Instant timeOf(@Nullable EventDateTime time) {
    return time == null || time.getDateTime() == null ? null : new Instant(time.getDateTime().getValue());
  }

  private static boolean declinedBy(Event event, String calendarId) {
    return event.getAttendees() != null && event.getAttendees().stream().anyMatch(a -> DECLINED.equals(a.getResponseStatus())
        && (Boolean.TRUE.equals(a.getSelf()) || calendarId.equalsIgnoreCase(String.valueOf(a.getEmail()))));
  }

  /** The people invited; rooms and other resources are not attendees of a call. */
  private static List<CalendarAttendee> attendees(Event event, Set<String> internalDomains) {
    List<CalendarAttendee> people = new ArrayList<>();
    if (event.getAttendees() == null) {
      return people;
    }
    for (EventAttendee attendee : event.getAttendees()) {
      if (attendee.getEmail() == null || Boolean.TRUE.equals(attendee.getResource())) {
        continue;
      }
      String email = MailAddresses.normalize(attendee.getEmail());
      people.add(CalendarAttendee.of(email, attendee.getDisplayName(), attendee.getResponseStatus(),
          Boolean.TRUE.equals(attendee.getOrganizer()), !internalDomains.contains(MailAddresses.domainOf(email))));
    }
    return people;
  }
}
