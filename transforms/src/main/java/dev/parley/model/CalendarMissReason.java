package dev.parley.model;

/**
 * Why a call of a tenant with calendar enrichment has no meeting ({@link CalendarMatch#MISSING}). Names are part of
 * Parley's interface (dashboards and queries of the stored calls use them): add new ones, never rename.
 */
public enum CalendarMissReason {
  NO_AGENT("the call's metadata names no agent, so there is no calendar to look in"),
  NO_CREDENTIALS("the tenant has no refresh token for the agent's calendar (auth: oauth-refresh-token)"),
  SECRET_UNAVAILABLE("a secret reference of the tenant's calendar settings could not be resolved"),
  CREDENTIALS_INVALID("the service-account key is not a readable JSON key"),
  CREDENTIALS_REFUSED("the token endpoint or the Calendar API refused the credentials (invalid grant, 401)"),
  ACCESS_DENIED("the Calendar API answered 403 for another reason than a rate limit (delegation or sharing)"),
  CALENDAR_NOT_FOUND("the Calendar API knows no such calendar for the user (404)"),
  RATE_LIMITED("rateLimitExceeded or userRateLimitExceeded on every attempt, or the tenant's pace would outlast the lookup budget"),
  QUOTA_EXHAUSTED("the project's daily Calendar API quota is spent (dailyLimitExceeded, quotaExceeded)"),
  UNAVAILABLE("the Calendar API or its token endpoint answered 5xx, timed out or was unreachable on every attempt"),
  NO_OVERLAPPING_EVENT("the agent has no timed, not declined event that the call starts in or shortly before"),
  INTERNAL("an unexpected error in Parley itself; the detail holds the exception type");

  private final String meaning;

  CalendarMissReason(String meaning) {
    this.meaning = meaning;
  }

  public String meaning() {
    return meaning;
  }
}
