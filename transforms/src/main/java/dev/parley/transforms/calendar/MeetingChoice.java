package dev.parley.transforms.calendar;

/**
 * The rule that decided which event a call belongs to, stored with the match ({@code DecidedBy}). Names are part of
 * Parley's interface: add new ones, never rename.
 */
public enum MeetingChoice {
  ONLY_CANDIDATE("one event overlapped the call's start"),
  MOST_EXTERNAL_ATTENDEES("of several, the one with the most attendees from outside the tenant's domains"),
  CLOSEST_START("as many external attendees; the one whose start is closest to the call's"),
  EVENT_ID("a tie on both; the smallest event id, so that a replay chooses the same");

  private final String meaning;

  MeetingChoice(String meaning) {
    this.meaning = meaning;
  }

  public String meaning() {
    return meaning;
  }
}
