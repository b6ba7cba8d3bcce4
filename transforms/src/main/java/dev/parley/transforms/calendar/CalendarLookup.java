package dev.parley.transforms.calendar;

import com.google.api.services.calendar.model.Event;
import com.google.api.services.calendar.model.Events;
import com.google.auth.oauth2.GoogleCredentials;
import com.google.common.cache.Cache;
import com.google.common.cache.CacheBuilder;
import dev.parley.model.CalendarMissReason;
import dev.parley.tenant.TenantConfig;
import dev.parley.transforms.logging.KeyValuesInMdc;
import dev.parley.transforms.metrics.StageMetrics;
import dev.parley.transforms.metrics.ThrottledWaits;
import dev.parley.transforms.ratelimit.RateLimiter;
import dev.parley.transforms.ratelimit.RequestRate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.util.BackOff;
import org.apache.beam.sdk.util.FluentBackoff;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The events of one agent's calendar around a call's start. They are read per agent and hour ({@link #BUCKET}): one
 * {@code events.list} (all its pages) covers the hour and the tenant's window after it, so it serves every call of
 * the agent that starts in that hour, and is kept in a bounded per-worker cache for {@link #CACHE_TTL}.
 *
 * <p>Each request is paced at the tenant's rate; one answered with a rate limit (or 5xx, or not at all) is retried
 * with backoff. Both kinds of wait go through Beam's Sleeper and count as throttling time, and neither may outlast
 * the lookup's budget: past it, the lookup fails as rate limited and the call goes on without its meeting.
 */
final class CalendarLookup {
  private static final Logger LOG = LoggerFactory.getLogger(CalendarLookup.class);
  static final Duration BUCKET = Duration.ofHours(1);
  static final Duration CACHE_TTL = Duration.ofMinutes(10);
  /** Far above an agent's hour (250 events a page): a bound against a server that never stops paging. */
  static final int MAX_PAGES = 20;
  private static final Cache<String, List<Event>> SHARED =
      CacheBuilder.newBuilder().maximumSize(10_000).expireAfterWrite(CACHE_TTL).build();

  private final CalendarEndpoints endpoints;
  private final CalendarCredentials credentials;
  private final CalendarEventsClient client;
  private final RateLimiter limiter;
  private final ThrottledWaits waits;
  private final StageMetrics metrics;
  private final LookupPolicy policy;
  private final Clock clock = Clock.systemUTC();

  CalendarLookup(CalendarEndpoints endpoints, CalendarCredentials credentials, RateLimiter limiter,
      StageMetrics metrics, LookupPolicy policy) {
    this.endpoints = endpoints;
    this.credentials = credentials;
    this.client = new CalendarEventsClient(endpoints, policy.requestTimeout());
    this.limiter = limiter;
    this.waits = new ThrottledWaits(metrics);
    this.metrics = metrics;
    this.policy = policy;
  }

  /** Every event of {@code calendarId} that may hold a call starting at {@code callStart}, and more. */
  List<Event> eventsAround(TenantConfig tenant, String calendarId, Instant callStart)
      throws CalendarLookupException, InterruptedException {
    java.time.Instant deadline = clock.instant().plus(policy.budget());
    long bucket = BUCKET.toMillis();
    Instant from = new Instant(Math.floorDiv(callStart.getMillis(), bucket) * bucket);
    // events.list keeps events that end after timeMin and start before timeMax.
    Instant to = from.plus(bucket + Duration.ofMinutes(tenant.calendar().windowMinutesOrDefault()).toMillis());
    String key = String.join("\n", String.valueOf(endpoints.rootUrl()), tenant.id(), calendarId, from.toString(),
        to.toString());
    List<Event> cached = SHARED.getIfPresent(key);
    if (cached != null) {
      metrics.incTenant("cache_hits", tenant.id(), 1);
      return cached;
    }
    GoogleCredentials agent = credentials.forCalendar(tenant, calendarId);
    List<Event> events = new ArrayList<>();
    String pageToken = null;
    int pages = 0;
    do {
      Events page = fetch(tenant, agent, calendarId, from, to, pageToken, deadline);
      if (page.getItems() != null) {
        events.addAll(page.getItems());
      }
      pageToken = page.getNextPageToken();
    } while (pageToken != null && ++pages < MAX_PAGES);
    List<Event> all = List.copyOf(events);
    SHARED.put(key, all);
    return all;
  }

  private Events fetch(TenantConfig tenant, GoogleCredentials agent, String calendarId, Instant from, Instant to,
      @Nullable String pageToken, java.time.Instant deadline) throws CalendarLookupException, InterruptedException {
    BackOff backoff = FluentBackoff.DEFAULT
        .withInitialBackoff(org.joda.time.Duration.millis(policy.initialBackoff().toMillis()))
        .withMaxRetries(policy.maxRetries())
        .backoff();
    for (int attempt = 1; ; attempt++) {
      pace(tenant, deadline);
      metrics.incTenant("requests", tenant.id(), 1);
      try {
        return client.page(agent, calendarId, from, to, pageToken);
      } catch (CalendarLookupException e) {
        long wait = e.isRetryable() ? backoff.nextBackOffMillis() : BackOff.STOP;
        if (wait == BackOff.STOP || !fits(wait, deadline)) {
          throw attempt == 1 ? e
              : CalendarLookupException.permanent(e.reason(), e.getMessage() + " (" + attempt + " attempts)");
        }
        metrics.incTenant("retries", tenant.id(), 1);
        KeyValuesInMdc.forTenant(LOG.atInfo(), tenant.id()).addKeyValue("reason", e.reason().name())
            .addKeyValue("attempt", attempt).addKeyValue("waitMillis", wait)
            .log("calendar lookup failed, will retry: {}", e.getMessage());
        waits.waitFor(wait, tenant.id(), "calendar_retry");
      }
    }
  }

  /** Takes the request's place in the tenant's pace; fails instead of waiting past the lookup's budget. */
  private void pace(TenantConfig tenant, java.time.Instant deadline) throws CalendarLookupException, InterruptedException {
    int perMinute = tenant.calendar().requestsPerMinuteOrDefault();
    Duration wait = limiter.reserve("calendar/" + tenant.id(), RequestRate.perMinute(perMinute));
    if (!fits(wait.toMillis(), deadline)) {
      throw CalendarLookupException.permanent(CalendarMissReason.RATE_LIMITED, "the tenant's Calendar pace ("
          + perMinute + " requests per minute) would delay this lookup " + wait.toSeconds() + " s, past its budget");
    }
    waits.waitFor(wait, tenant.id(), "calendar_rate");
  }

  private boolean fits(long waitMillis, java.time.Instant deadline) {
    return clock.instant().plusMillis(waitMillis).isBefore(deadline);
  }
}
