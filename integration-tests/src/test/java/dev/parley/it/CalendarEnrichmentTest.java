package dev.parley.it;

import static dev.parley.emulator.calendar.ScheduledEvent.person;
import static dev.parley.emulator.calendar.ScheduledEvent.room;
import static dev.parley.it.CalendarFixture.DANA;
import static dev.parley.it.CalendarFixture.LEE;
import static dev.parley.it.CalendarFixture.SAM;
import static dev.parley.it.CalendarFixture.TEN;
import static dev.parley.it.CalendarFixture.callOf;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import dev.parley.emulator.calendar.CalendarStandIn;
import dev.parley.emulator.calendar.ScheduledEvent;
import dev.parley.emulator.crm.HttpStandIn;
import dev.parley.model.CalendarAttendee;
import dev.parley.model.CalendarMatch;
import dev.parley.model.CallRecord;
import dev.parley.tools.SampleCalls;
import dev.parley.transforms.calendar.CalendarEndpoints;
import dev.parley.transforms.calendar.CalendarEnrichment;
import dev.parley.transforms.calendar.LookupPolicy;
import dev.parley.transforms.metrics.StageMetrics;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.junit.rules.Timeout;

/**
 * Calendar enrichment through the real Calendar client and google-auth-library credentials against the Calendar
 * stand-in: both ways of authenticating, paging, recurring and all-day events, choosing among overlapping meetings,
 * and every way a lookup fails (each leaves the call without its meeting, with a reason, never with an error).
 */
public class CalendarEnrichmentTest {
  private static final LookupPolicy FAST =
      new LookupPolicy(2, Duration.ofMillis(20), Duration.ofSeconds(5), Duration.ofSeconds(10));

  @Rule public final TemporaryFolder tmp = new TemporaryFolder();
  @Rule public final Timeout timeout = Timeout.seconds(60);

  private CalendarFixture fixture;
  private CalendarStandIn calendar;
  private CalendarEnrichment enrichment;

  @Before
  public void start() throws Exception {
    fixture = CalendarFixture.start(tmp.getRoot().toPath());
    calendar = fixture.standIn;
    enrichment = enrichment(CalendarEndpoints.googleDefault().withBaseUrl(calendar.baseUrl()));
  }

  @After
  public void stop() {
    enrichment.close();
    calendar.close();
  }

  private static CalendarEnrichment enrichment(CalendarEndpoints endpoints) {
    return new CalendarEnrichment(endpoints, FAST, new StageMetrics("CalendarEnrichmentTest"));
  }

  private CalendarMatch match(CallRecord call) throws Exception {
    return enrichment.match(fixture.tenant(call.getTenantId()), call);
  }

  private static ScheduledEvent meeting(String id, String title, String from, String to) {
    return ScheduledEvent.timed(id, title, Instant.parse("2026-11-25T" + from + ":00Z"), Instant.parse("2026-11-25T" + to + ":00Z"));
  }

  private static Instant at(String time) {
    return Instant.parse("2026-11-25T" + time + ":00Z");
  }

  @Test
  public void matchesTheMeetingTheCallStartsInActingAsTheAgentThroughTheServiceAccount() throws Exception {
    calendar.addEvent(DANA, meeting("quote", "Quote review with Customer Co", "10:00", "10:30")
        .organizedBy(DANA, "Dana Agent")
        .with(person(DANA, "Dana Agent", "accepted"), person("Pat@Customer.example", "Pat Buyer", "accepted"),
            person("kim@acme-support.example", "Kim Support", "tentative"), room("room-4@resource.acme.example", "Room 4")));

    CalendarMatch match = match(callOf("acme", "c1", DANA, at("10:05")));

    assertEquals(CalendarMatch.MATCHED, match.getStatus());
    assertEquals("ONLY_CANDIDATE", match.getDecidedBy());
    assertEquals(1, match.getCandidateCount());
    assertEquals("quote", match.getEventId());
    assertEquals("Quote review with Customer Co", match.getTitle());
    assertEquals(DANA, match.getCalendarId());
    assertEquals(DANA, match.getOrganizerEmail());
    assertEquals("Dana Agent", match.getOrganizerName());
    assertEquals(TEN.toEpochMilli(), match.getEventStart().getMillis());
    assertEquals(List.of(
        CalendarAttendee.of(DANA, "Dana Agent", "accepted", true, false),
        CalendarAttendee.of("pat@customer.example", "Pat Buyer", "accepted", false, true),
        CalendarAttendee.of("kim@acme-support.example", "Kim Support", "tentative", false, false)),
        match.getAttendees());
    assertEquals("the agent's domain and internalDomains are the tenant's own", 1, match.getExternalAttendeeCount());

    assertEquals(List.of(new CalendarStandIn.Grant("jwt-bearer", DANA, "https://www.googleapis.com/auth/calendar.events.readonly")),
        calendar.grants());
    HttpStandIn.Request list = calendar.eventRequests(DANA).get(0);
    assertThat(URLDecoder.decode(list.query(), StandardCharsets.UTF_8), allOf(containsString("singleEvents=true"), containsString("orderBy=startTime"),
        containsString("timeMin=2026-11-25T10:00:00.000Z"), containsString("timeMax=2026-11-25T11:15:00.000Z")));
    assertThat(list.header("Authorization"), containsString("Bearer ya29."));
  }

  @Test
  public void readsTheAgentsCalendarWithItsOwnRefreshToken() throws Exception {
    calendar.addEvent(LEE, meeting("renewal", "Renewal call", "09:45", "10:15").organizedBy(LEE, "Lee")
        .with(person(LEE, "Lee", "accepted"), person("ops@buyer.example", "Ops", "needsAction")));

    CalendarMatch match = match(callOf("globex", "g1", LEE, at("10:00")));

    assertEquals(CalendarMatch.MATCHED, match.getStatus());
    assertEquals("renewal", match.getEventId());
    assertEquals(List.of(new CalendarStandIn.Grant("refresh_token", LEE, "https://www.googleapis.com/auth/calendar.events.readonly")),
        calendar.grants());
    HttpStandIn.Request token = calendar.requests("POST", "/token").get(0);
    assertThat(token.body(), allOf(containsString("grant_type=refresh_token"),
        containsString("client_id=" + CalendarFixture.OAUTH_CLIENT)));

    CalendarMatch other = match(callOf("globex", "g2", "nobody@globex.example", at("10:00")));
    assertEquals(CalendarMatch.MISSING, other.getStatus());
    assertEquals("an agent without a refresh token is not looked up", "NO_CREDENTIALS", other.getReason());
    assertThat(calendar.eventRequests("nobody@globex.example"), empty());
  }

  @Test
  public void exchangesTheServiceAccountAtTheTokenEndpointItsKeyNames() throws Exception {
    calendar.addEvent(SAM, meeting("sync", "Sync", "10:00", "10:30"));
    try (CalendarEnrichment googleTokens = enrichment(new CalendarEndpoints(calendar.baseUrl() + "/", null))) {
      CalendarMatch match = googleTokens.match(fixture.tenant("acme"), callOf("acme", "c1", SAM, at("10:10")));
      assertEquals(CalendarMatch.MATCHED, match.getStatus());
    }
    assertEquals("the key's token_uri (the stand-in's) was used", SAM, calendar.grants().get(0).user());
  }

  @Test
  public void followsEveryPageExpandsRecurringMeetingsAndLeavesAllDayEventsOut() throws Exception {
    calendar.pageSize(2);
    calendar.addEvent(DANA, ScheduledEvent.allDay("offsite", "Team offsite", LocalDate.of(2026, 11, 25))
        .with(person("guest@customer.example", "Guest", "accepted")));
    for (int i = 0; i < 4; i++) {
      calendar.addEvent(DANA, meeting("early-" + i, "Early " + i, "10:0" + i, "10:0" + (i + 1)));
    }
    calendar.addEvent(DANA, ScheduledEvent.timed("standup", "Daily standup with Customer Co", at("10:20").minus(Duration.ofDays(3)),
        at("10:40").minus(Duration.ofDays(3))).daily(5).with(person("pat@customer.example", "Pat", "accepted")));

    CalendarMatch match = match(callOf("acme", "c1", DANA, at("10:25")));

    assertEquals(CalendarMatch.MATCHED, match.getStatus());
    assertEquals("today's instance of the recurring meeting", "standup_20261125T102000Z", match.getEventId());
    assertEquals("Daily standup with Customer Co", match.getTitle());
    List<HttpStandIn.Request> pages = calendar.eventRequests(DANA);
    assertThat("the all-day event, four short ones and today's standup, two a page", pages, hasSize(3));
    assertThat(pages.get(2).query(), containsString("pageToken=page-4"));

    CalendarMatch afternoon = match(callOf("acme", "c2", DANA, at("15:00")));
    assertEquals("an all-day event is not a meeting", "NO_OVERLAPPING_EVENT", afternoon.getReason());
    assertEquals(0, afternoon.getCandidateCount());
  }

  @Test
  public void resolvesOverlappingMeetingsByExternalAttendeesThenByTheClosestStart() throws Exception {
    calendar.addEvent(DANA, meeting("internal", "Pipeline review", "10:00", "11:00")
        .with(person(DANA, "Dana", "accepted"), person(SAM, "Sam", "accepted")));
    calendar.addEvent(DANA, meeting("demo", "Demo for Customer Co", "10:10", "10:40")
        .with(person(DANA, "Dana", "accepted"), person("pat@customer.example", "Pat", "accepted")));
    calendar.addEvent(DANA, meeting("declined", "Big customer dinner", "10:00", "11:00")
        .with(person(DANA, "Dana", "declined"), person("a@customer.example", "A", "accepted"),
            person("b@customer.example", "B", "accepted")));
    calendar.addEvent(DANA, meeting("other-demo", "Demo for Other Co", "09:45", "10:30")
        .with(person("lou@other.example", "Lou", "accepted")));

    CalendarMatch early = match(callOf("acme", "c1", DANA, at("10:02")));
    assertEquals(CalendarMatch.AMBIGUOUS_RESOLVED, early.getStatus());
    assertEquals("the call starts before the demo, within the window", "demo", early.getEventId());
    assertEquals("CLOSEST_START", early.getDecidedBy());
    assertEquals("internal, demo and other-demo; the declined one is not the agent's", 3, early.getCandidateCount());
  }

  @Test
  public void choosesTheMeetingWithTheMostExternalAttendees() throws Exception {
    calendar.addEvent(SAM, meeting("one", "One customer", "10:00", "11:00").with(person("a@customer.example", "A", "accepted")));
    calendar.addEvent(SAM, meeting("two", "Two customers", "10:00", "11:00")
        .with(person("b@customer.example", "B", "accepted"), person("c@partner.example", "C", "accepted")));

    CalendarMatch match = match(callOf("acme", "c1", SAM, at("10:30")));

    assertEquals(CalendarMatch.AMBIGUOUS_RESOLVED, match.getStatus());
    assertEquals("two", match.getEventId());
    assertEquals("MOST_EXTERNAL_ATTENDEES", match.getDecidedBy());
    assertEquals(2, match.getCandidateCount());
    assertEquals(2, match.getExternalAttendeeCount());

    calendar.addEvent(SAM, meeting("twin-b", "Twin B", "12:00", "13:00").with(person("b@customer.example", "B", "accepted")));
    calendar.addEvent(SAM, meeting("twin-a", "Twin A", "12:00", "13:00").with(person("a@customer.example", "A", "accepted")));
    CalendarMatch tie = match(callOf("acme", "c2", SAM, at("12:10")));
    assertEquals("a tie on both rules: the smallest id, the same on every replay", "twin-a", tie.getEventId());
    assertEquals("EVENT_ID", tie.getDecidedBy());
  }

  @Test
  public void readsEachAgentHourOnceAndStartsFromArrivalLessLengthWithoutAStartTime() throws Exception {
    calendar.addEvent(DANA, meeting("quote", "Quote", "10:00", "10:30"));
    assertEquals("quote", match(callOf("acme", "c1", DANA, at("10:05"))).getEventId());
    assertEquals("quote", match(callOf("acme", "c2", DANA, at("10:20"))).getEventId());
    assertThat("the second call of the hour is served from the cache", calendar.eventRequests(DANA), hasSize(1));

    CallRecord noStart = SampleCalls.call("acme", "c3", 2); // 4 s long, arrived 10:15:00
    noStart = noStart.toBuilder().setMetadata(noStart.getMetadata().toBuilder().setAgent(DANA).build()).build();
    CalendarMatch match = match(noStart);
    assertEquals("quote", match.getEventId());
    assertEquals(Instant.parse("2026-11-25T10:14:56Z").toEpochMilli(), match.getCallStartTime().getMillis());
  }

  @Test
  public void retriesRateLimitAnswersWithBackoffThenMatches() throws Exception {
    calendar.addEvent(DANA, meeting("quote", "Quote", "10:00", "10:30"));
    calendar.script(CalendarStandIn.EVENTS_PATH, CalendarStandIn.rateLimitExceeded(), CalendarStandIn.userRateLimitExceeded());

    CalendarMatch match = match(callOf("acme", "c1", DANA, at("10:05")));

    assertEquals(CalendarMatch.MATCHED, match.getStatus());
    assertThat("two 403s, then the answer", calendar.eventRequests(DANA), hasSize(3));
  }

  @Test
  public void aRateLimitThatOutlastsTheRetriesLeavesTheCallWithoutItsMeeting() throws Exception {
    calendar.addEvent(DANA, meeting("quote", "Quote", "10:00", "10:30"));
    calendar.script(CalendarStandIn.EVENTS_PATH, CalendarStandIn.rateLimitExceeded(), CalendarStandIn.rateLimitExceeded(),
        CalendarStandIn.rateLimitExceeded(), CalendarStandIn.rateLimitExceeded());

    CalendarMatch match = match(callOf("acme", "c1", DANA, at("10:05")));

    assertEquals(CalendarMatch.MISSING, match.getStatus());
    assertEquals("RATE_LIMITED", match.getReason());
    assertThat(match.getDetail(), allOf(containsString("403 rateLimitExceeded"), containsString("3 attempts")));
    assertNull(match.getEventId());
    assertThat("the first attempt and two retries, no more", calendar.eventRequests(DANA), hasSize(3));
    assertEquals("a failed lookup is not cached; the script's fourth answer is left for the next", CalendarMatch.MATCHED,
        match(callOf("acme", "c2", DANA, at("10:05"))).getStatus());
    assertThat(calendar.eventRequests(DANA), hasSize(5));
  }

  @Test
  public void aTenantsPaceThatWouldOutlastTheBudgetFailsAtOnce() throws Exception {
    calendar.addEvent(DANA, meeting("quote", "Quote", "10:00", "10:30"));
    assertEquals(CalendarMatch.MATCHED, match(callOf("paced", "p1", DANA, at("10:05"))).getStatus());
    long started = System.nanoTime();

    CalendarMatch next = match(callOf("paced", "p2", DANA, at("14:05")));

    assertEquals("RATE_LIMITED", next.getReason());
    assertThat(next.getDetail(), containsString("1 requests per minute"));
    assertTrue("refused without waiting a minute", (System.nanoTime() - started) / 1_000_000 < 5_000);
    assertThat(calendar.eventRequests(DANA), hasSize(1));
  }

  @Test
  public void refreshesAnExpiredTokenOnceAndGivesUpOnRefusedCredentials() throws Exception {
    calendar.addEvent(DANA, meeting("workshop", "Workshop", "10:00", "13:00"));
    assertEquals(CalendarMatch.MATCHED, match(callOf("acme", "c1", DANA, at("10:05"))).getStatus());
    calendar.revokeAccessTokens();
    assertEquals("a 401 fetches a new token and repeats the request",
        CalendarMatch.MATCHED, match(callOf("acme", "c2", DANA, at("11:05"))).getStatus());
    assertThat(calendar.grants(), hasSize(2));

    calendar.answerAlways(CalendarStandIn.unauthorized());
    CalendarMatch refused = match(callOf("acme", "c3", DANA, at("12:05")));
    assertEquals("CREDENTIALS_REFUSED", refused.getReason());
    assertThat(refused.getDetail(), containsString("HTTP 401"));
  }

  @Test
  public void aKeyTheTokenEndpointRefusesLeavesTheCallWithoutItsMeetingAndTheKeyUnsaid() throws Exception {
    try (CalendarStandIn stranger = CalendarStandIn.start();
        CalendarEnrichment elsewhere = enrichment(CalendarEndpoints.googleDefault().withBaseUrl(stranger.baseUrl()))) {
      stranger.addEvent(DANA, meeting("quote", "Quote", "10:00", "10:30"));
      CalendarMatch match = elsewhere.match(fixture.tenant("acme"), callOf("acme", "c1", DANA, at("10:05")));
      assertEquals("CREDENTIALS_REFUSED", match.getReason());
      assertThat(match.getDetail(), allOf(containsString("HTTP 400 invalid_grant"),
          not(containsString(fixture.privateKeyPem.substring(40, 80)))));
      assertThat(stranger.eventRequests(DANA), empty());
    }
  }

  @Test
  public void namesWhyACallHasNoMeeting() throws Exception {
    CallRecord noAgent = SampleCalls.call("acme", "c1", 2);
    CalendarMatch withoutAgent = match(noAgent);
    assertEquals("NO_AGENT", withoutAgent.getReason());
    assertNull(withoutAgent.getCalendarId());

    assertEquals("CALENDAR_NOT_FOUND", match(callOf("acme", "c2", "ghost@acme.example", at("10:05"))).getReason());

    calendar.addEvent(DANA, meeting("quote", "Quote", "10:00", "10:30"));
    calendar.script(CalendarStandIn.EVENTS_PATH, HttpStandIn.Answer.of(503, "{\"error\":{\"code\":503,\"message\":\"Backend Error\"}}"),
        HttpStandIn.Answer.of(503, "{}"), HttpStandIn.Answer.of(503, "{}"));
    CalendarMatch down = match(callOf("acme", "c3", DANA, at("10:05")));
    assertEquals("UNAVAILABLE", down.getReason());
    assertThat(down.getDetail(), containsString("HTTP 503"));

    calendar.script(CalendarStandIn.EVENTS_PATH, CalendarStandIn.dailyLimitExceeded(), CalendarStandIn.forbidden());
    assertEquals("QUOTA_EXHAUSTED", match(callOf("acme", "c4", DANA, at("10:05"))).getReason());
    assertEquals("ACCESS_DENIED", match(callOf("acme", "c5", DANA, at("10:05"))).getReason());
    assertThat("neither is retried: one request each after the three 503s", calendar.eventRequests(DANA), hasSize(5));
  }
}
