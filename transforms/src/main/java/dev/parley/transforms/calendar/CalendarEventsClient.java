package dev.parley.transforms.calendar;

import com.google.api.client.googleapis.json.GoogleJsonError;
import com.google.api.client.googleapis.json.GoogleJsonResponseException;
import com.google.api.client.http.HttpRequestInitializer;
import com.google.api.client.http.HttpResponseException;
import com.google.api.client.http.HttpTransport;
import com.google.api.client.http.javanet.NetHttpTransport;
import com.google.api.client.json.gson.GsonFactory;
import com.google.api.client.util.DateTime;
import com.google.api.services.calendar.Calendar;
import com.google.api.services.calendar.model.Events;
import com.google.auth.http.HttpCredentialsAdapter;
import com.google.auth.oauth2.GoogleCredentials;
import dev.parley.model.CalendarMissReason;
import java.io.IOException;
import java.time.Duration;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Instant;

/**
 * One page of {@code events.list} through Google's generated Calendar client: instances of recurring events
 * ({@code singleEvents}) ordered by start, only the fields a match needs. The access token is fetched (or found still
 * valid) before the request, so that a refused credential is told apart from a refused request; a 401 on the request
 * refreshes the token once (the credentials adapter's handler), not more. Every failure is classified.
 */
final class CalendarEventsClient {
  private static final int PAGE_SIZE = 250;
  private static final String FIELDS = "nextPageToken,items(id,summary,start,end,organizer,attendees)";
  private static final String APPLICATION_NAME = "parley";
  private static final Set<String> RATE_LIMITS = Set.of("rateLimitExceeded", "userRateLimitExceeded");
  private static final Set<String> QUOTAS = Set.of("dailyLimitExceeded", "quotaExceeded");
  private static final Pattern OAUTH_ERROR = Pattern.compile("\"error\"\\s*:\\s*\"([A-Za-z_]+)\"");
  /** Thread-safe, and holds the connection pool: one per worker. */
  private static final HttpTransport TRANSPORT = new NetHttpTransport();

  private final CalendarEndpoints endpoints;
  private final Duration requestTimeout;

  CalendarEventsClient(CalendarEndpoints endpoints, Duration requestTimeout) {
    this.endpoints = endpoints;
    this.requestTimeout = requestTimeout;
  }

  Events page(GoogleCredentials credentials, String calendarId, Instant timeMin, Instant timeMax,
      @Nullable String pageToken) throws CalendarLookupException {
    try {
      credentials.refreshIfExpired();
    } catch (IOException e) {
      throw tokenFailure(e);
    }
    try {
      return client(credentials).events().list(calendarId)
          .setTimeMin(utc(timeMin))
          .setTimeMax(utc(timeMax))
          .setSingleEvents(true)
          .setOrderBy("startTime")
          .setMaxResults(PAGE_SIZE)
          .setPageToken(pageToken)
          .setFields(FIELDS)
          .execute();
    } catch (GoogleJsonResponseException e) {
      throw failure(e);
    } catch (IOException e) {
      throw CalendarLookupException.retryable(CalendarMissReason.UNAVAILABLE,
          "events.list failed: " + e.getClass().getSimpleName());
    }
  }

  /** RFC 3339 in UTC ({@code Z}), whatever the worker's time zone. */
  private static DateTime utc(Instant instant) {
    return new DateTime(false, instant.getMillis(), 0);
  }

  private Calendar client(GoogleCredentials credentials) {
    HttpCredentialsAdapter adapter = new HttpCredentialsAdapter(credentials);
    int timeout = Math.toIntExact(requestTimeout.toMillis());
    HttpRequestInitializer initializer = request -> {
      adapter.initialize(request);
      // One retry: the adapter's refresh after a 401. The pipeline retries everything else, with its own backoff.
      request.setConnectTimeout(timeout).setReadTimeout(timeout).setNumberOfRetries(1);
    };
    Calendar.Builder builder = new Calendar.Builder(TRANSPORT, GsonFactory.getDefaultInstance(), initializer)
        .setApplicationName(APPLICATION_NAME);
    if (endpoints.rootUrl() != null) {
      builder.setRootUrl(endpoints.rootUrl());
    }
    return builder.build();
  }

  /** The Calendar API's answer, by status and the reason in its error body. */
  static CalendarLookupException failure(GoogleJsonResponseException e) {
    int status = e.getStatusCode();
    GoogleJsonError details = e.getDetails();
    String reason = details == null || details.getErrors() == null || details.getErrors().isEmpty()
        ? "" : String.valueOf(details.getErrors().get(0).getReason());
    String message = "events.list answered HTTP " + status + (reason.isEmpty() ? "" : " " + reason);
    if (RATE_LIMITS.contains(reason) || status == 429) {
      return CalendarLookupException.retryable(CalendarMissReason.RATE_LIMITED, message);
    }
    if (QUOTAS.contains(reason)) {
      return CalendarLookupException.permanent(CalendarMissReason.QUOTA_EXHAUSTED, message);
    }
    if (status >= 500) {
      return CalendarLookupException.retryable(CalendarMissReason.UNAVAILABLE, message);
    }
    return CalendarLookupException.permanent(switch (status) {
      case 401 -> CalendarMissReason.CREDENTIALS_REFUSED;
      case 403 -> CalendarMissReason.ACCESS_DENIED;
      case 404 -> CalendarMissReason.CALENDAR_NOT_FOUND;
      default -> CalendarMissReason.INTERNAL;
    }, message);
  }

  /**
   * A failed token exchange: refused (4xx: a revoked refresh token, a delegation without the scope) is not worth
   * retrying; anything else is. Only the OAuth error code of the answer is kept, never its body.
   */
  static CalendarLookupException tokenFailure(IOException e) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof HttpResponseException response) {
        int status = response.getStatusCode();
        Matcher error = OAUTH_ERROR.matcher(String.valueOf(response.getContent()));
        String message = "the token endpoint answered HTTP " + status + (error.find() ? " " + error.group(1) : "");
        return status >= 400 && status < 500
            ? CalendarLookupException.permanent(CalendarMissReason.CREDENTIALS_REFUSED, message)
            : CalendarLookupException.retryable(CalendarMissReason.UNAVAILABLE, message);
      }
    }
    return CalendarLookupException.retryable(CalendarMissReason.UNAVAILABLE,
        "the token request failed: " + e.getClass().getSimpleName());
  }
}
