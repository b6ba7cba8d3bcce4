package dev.parley.transforms.calendar;

import dev.parley.model.CalendarMissReason;

/**
 * A calendar lookup that did not succeed, classified: the reason the call is stored with, and whether another
 * attempt may succeed (rate limits, 5xx, network). Messages never hold a secret or a token: they are built from
 * status codes, the API's error reasons and exception types.
 */
public final class CalendarLookupException extends Exception {
  private final CalendarMissReason reason;
  private final boolean retryable;

  private CalendarLookupException(CalendarMissReason reason, String message, boolean retryable) {
    super(message);
    this.reason = reason;
    this.retryable = retryable;
  }

  public static CalendarLookupException retryable(CalendarMissReason reason, String message) {
    return new CalendarLookupException(reason, message, true);
  }

  public static CalendarLookupException permanent(CalendarMissReason reason, String message) {
    return new CalendarLookupException(reason, message, false);
  }

  public CalendarMissReason reason() {
    return reason;
  }

  public boolean isRetryable() {
    return retryable;
  }
}
