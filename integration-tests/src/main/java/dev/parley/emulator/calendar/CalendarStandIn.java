package dev.parley.emulator.calendar;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.emulator.crm.HttpStandIn;
import io.jsonwebtoken.Claims;
import io.jsonwebtoken.JwtException;
import io.jsonwebtoken.Jwts;
import java.io.IOException;
import java.security.PublicKey;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Google Calendar on localhost, for the real {@code google-api-services-calendar} client (root URL pointed here) and
 * google-auth-library credentials (token endpoint pointed at {@code /token}):
 * <ul>
 *   <li>{@code POST /token}: the JWT bearer grant of a service account with domain-wide delegation (the assertion
 *       verified with the account's public key: RS256, issuer, Google's token endpoint as audience, the Calendar
 *       scope; {@code sub} is the user acted as), and the refresh-token grant of an OAuth client. Each access token is good for one user.</li>
 *   <li>{@code GET /calendar/v3/calendars/{calendarId}/events}: {@code timeMin}/{@code timeMax} (events that end after
 *       the one and start before the other), {@code singleEvents} (recurring events expanded into instances, or
 *       returned once with their {@code recurrence}), {@code orderBy=startTime} (only with singleEvents, as Google
 *       says), pages of {@code maxResults} or the stand-in's {@link #pageSize} with {@code nextPageToken}. A token of
 *       another user gets 404, none or an unknown one 401.</li>
 *   <li>Google's error bodies: {@link #rateLimitExceeded()}, {@link #userRateLimitExceeded()},
 *       {@link #dailyLimitExceeded()}, {@link #forbidden()}, {@link #unauthorized()}, to script with {@link #script}.</li>
 * </ul>
 */
public final class CalendarStandIn extends HttpStandIn {
  public static final String EVENTS_PATH = "/calendar/v3/calendars/";
  static final String SCOPE = "https://www.googleapis.com/auth/calendar.events.readonly";
  /** Google's token endpoint is the audience of every assertion, wherever the exchange is sent. */
  static final String ASSERTION_AUDIENCE = "https://oauth2.googleapis.com/token";
  private static final Pattern EVENTS = Pattern.compile("^/calendar/v3/calendars/([^/]+)/events$");
  private static final DateTimeFormatter INSTANCE_SUFFIX =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

  /** A token the stand-in issued: how, and for whom. */
  public record Grant(String grantType, String user, String scope) {}

  private record Client(String secret, Map<String, String> refreshTokens) {}

  private record Listed(Instant start, ObjectNode item) {}

  private final Map<String, PublicKey> serviceAccounts = new ConcurrentHashMap<>();
  private final Map<String, Client> clients = new ConcurrentHashMap<>();
  private final Map<String, String> accessTokens = new ConcurrentHashMap<>();
  private final List<Grant> grants = new CopyOnWriteArrayList<>();
  private final Map<String, List<ScheduledEvent>> calendars = new ConcurrentHashMap<>();
  private volatile int pageSize = 250;

  private CalendarStandIn() throws IOException {}

  public static CalendarStandIn start() throws IOException {
    return new CalendarStandIn();
  }

  /** The token endpoint, for a service-account key's {@code token_uri}. */
  public String tokenUri() {
    return baseUrl() + "/token";
  }

  /** Accepts assertions of {@code clientEmail} signed with the private half of {@code key}, for any user. */
  public void trustServiceAccount(String clientEmail, PublicKey key) {
    serviceAccounts.put(clientEmail, key);
  }

  /** Accepts {@code refreshToken} of {@code user}, issued to the OAuth client {@code clientId}. */
  public void addRefreshToken(String clientId, String clientSecret, String refreshToken, String user) {
    clients.computeIfAbsent(clientId, id -> new Client(clientSecret, new ConcurrentHashMap<>()))
        .refreshTokens().put(refreshToken, user);
  }

  /** Every access token issued so far stops working, as when they expire. */
  public void revokeAccessTokens() {
    accessTokens.clear();
  }

  public void addEvent(String calendarId, ScheduledEvent event) {
    calendars.computeIfAbsent(calendarId, c -> new CopyOnWriteArrayList<>()).add(event);
  }

  /** At most this many events a page, whatever maxResults asks. */
  public void pageSize(int events) {
    this.pageSize = events;
  }

  public List<Grant> grants() {
    return List.copyOf(grants);
  }

  /** The {@code events.list} requests of {@code calendarId}. */
  public List<Request> eventRequests(String calendarId) {
    return requests("GET", EVENTS_PATH + calendarId + "/events");
  }

  public static Answer rateLimitExceeded() {
    return usageLimit("rateLimitExceeded", "Rate Limit Exceeded");
  }

  public static Answer userRateLimitExceeded() {
    return usageLimit("userRateLimitExceeded", "User Rate Limit Exceeded");
  }

  /** The project's daily quota is spent: not worth retrying today. */
  public static Answer dailyLimitExceeded() {
    return usageLimit("dailyLimitExceeded", "Daily Limit Exceeded");
  }

  /** The user acted as may not read this calendar (a delegation without the scope, a calendar not shared). */
  public static Answer forbidden() {
    return Answer.of(403, error(403, "global", "forbidden", "Forbidden", "PERMISSION_DENIED"));
  }

  public static Answer unauthorized() {
    return Answer.of(401, error(401, "global", "authError",
        "Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid "
            + "authentication credential.", "UNAUTHENTICATED"));
  }

  private static Answer usageLimit(String reason, String message) {
    return Answer.of(403, error(403, "usageLimits", reason, message, "PERMISSION_DENIED"));
  }

  private static String error(int code, String domain, String reason, String message, String status) {
    ObjectNode body = JSON.createObjectNode();
    ObjectNode error = body.putObject("error");
    error.putArray("errors").addObject().put("domain", domain).put("reason", reason).put("message", message);
    error.put("code", code).put("message", message).put("status", status);
    return body.toString();
  }

  @Override
  protected Answer answer(Request request) throws IOException {
    if (request.method().equals("POST") && request.path().equals("/token")) {
      return token(form(request.body()));
    }
    Matcher events = EVENTS.matcher(request.path());
    if (request.method().equals("GET") && events.matches()) {
      String auth = request.header("Authorization");
      String user = auth == null ? null : accessTokens.get(auth.replaceFirst("^Bearer ", ""));
      if (user == null) {
        return unauthorized();
      }
      String calendarId = events.group(1);
      if (!user.equalsIgnoreCase(calendarId) || !calendars.containsKey(calendarId)) {
        return Answer.of(404, error(404, "global", "notFound", "Not Found", "NOT_FOUND"));
      }
      return list(calendarId, form(request.query() == null ? "" : request.query()));
    }
    return Answer.of(404, error(404, "global", "notFound", "Not Found", "NOT_FOUND"));
  }

  private Answer token(Map<String, String> form) {
    String grantType = form.getOrDefault("grant_type", "");
    Grant grant = switch (grantType) {
      case "urn:ietf:params:oauth:grant-type:jwt-bearer" -> delegated(form.get("assertion"));
      case "refresh_token" -> refreshed(form);
      default -> null;
    };
    if (grant == null) {
      return Answer.of(400, "{\"error\":\"invalid_grant\",\"error_description\":\"Invalid grant\"}");
    }
    grants.add(grant);
    String token = "ya29.stand-in-" + UUID.randomUUID();
    accessTokens.put(token, grant.user());
    return Answer.of(200, JSON.createObjectNode().put("access_token", token).put("expires_in", 3599)
        .put("token_type", "Bearer").toString());
  }

  /** A service account acting as {@code sub}: only with a valid assertion asking for the Calendar scope. */
  private Grant delegated(String assertion) {
    for (Map.Entry<String, PublicKey> account : serviceAccounts.entrySet()) {
      try {
        Claims claims = Jwts.parser().verifyWith(account.getValue()).build().parseSignedClaims(assertion).getPayload();
        String scope = claims.get("scope", String.class);
        if (account.getKey().equals(claims.getIssuer()) && claims.getAudience().contains(ASSERTION_AUDIENCE)
            && scope != null && List.of(scope.split(" ")).contains(SCOPE) && claims.getSubject() != null) {
          return new Grant("jwt-bearer", claims.getSubject(), scope);
        }
      } catch (JwtException | IllegalArgumentException e) {
        // Not this account's signature: try the next.
      }
    }
    return null;
  }

  private Grant refreshed(Map<String, String> form) {
    Client client = clients.get(form.get("client_id"));
    if (client == null || !client.secret().equals(form.get("client_secret"))) {
      return null;
    }
    String user = client.refreshTokens().get(form.get("refresh_token"));
    return user == null ? null : new Grant("refresh_token", user, SCOPE);
  }

  private Answer list(String calendarId, Map<String, String> query) {
    boolean single = "true".equals(query.get("singleEvents"));
    if ("startTime".equals(query.get("orderBy")) && !single) {
      return Answer.of(400, error(400, "global", "badRequest",
          "The requested ordering is not available for the particular query.", "INVALID_ARGUMENT"));
    }
    Instant timeMin = query.containsKey("timeMin") ? OffsetDateTime.parse(query.get("timeMin")).toInstant() : Instant.MIN;
    Instant timeMax = query.containsKey("timeMax") ? OffsetDateTime.parse(query.get("timeMax")).toInstant() : Instant.MAX;
    List<Listed> listed = new ArrayList<>();
    for (ScheduledEvent event : calendars.get(calendarId)) {
      for (int n = 0; n < (single ? event.occurrences() : 1); n++) {
        Instant start = event.startOf(n);
        if (event.endOf(single ? n : event.occurrences() - 1).isAfter(timeMin) && start.isBefore(timeMax)) {
          listed.add(new Listed(start, render(calendarId, event, single ? n : -1)));
        }
      }
    }
    listed.sort(Comparator.comparing(Listed::start));
    int offset = query.containsKey("pageToken") ? Integer.parseInt(query.get("pageToken").replace("page-", "")) : 0;
    int size = Math.min(pageSize, Integer.parseInt(query.getOrDefault("maxResults", "250")));
    ObjectNode page = JSON.createObjectNode().put("kind", "calendar#events").put("summary", calendarId)
        .put("timeZone", "UTC");
    ArrayNode array = page.putArray("items");
    listed.stream().skip(offset).limit(size).forEach(l -> array.add(l.item()));
    if (offset + size < listed.size()) {
      page.put("nextPageToken", "page-" + (offset + size));
    }
    return Answer.of(200, page.toString());
  }

  /** An event as events.list shows it: instance {@code n} of it, or the event itself when {@code n} is -1. */
  private static ObjectNode render(String calendarId, ScheduledEvent event, int n) {
    ObjectNode item = JSON.createObjectNode().put("kind", "calendar#event").put("status", "confirmed")
        .put("summary", event.summary());
    int occurrence = Math.max(n, 0);
    if (event.recurring() && n >= 0) {
      item.put("id", event.id() + "_" + INSTANCE_SUFFIX.format(event.startOf(n)));
      item.put("recurringEventId", event.id());
      time(item.putObject("originalStartTime"), event, event.startOf(n));
    } else {
      item.put("id", event.id());
      if (event.recurring()) {
        item.putArray("recurrence").add("RRULE:FREQ=DAILY;COUNT=" + event.occurrences());
      }
    }
    time(item.putObject("start"), event, event.startOf(occurrence));
    time(item.putObject("end"), event, event.endOf(occurrence));
    if (event.organizerEmail() != null) {
      item.putObject("organizer").put("email", event.organizerEmail()).put("displayName", event.organizerName());
    }
    if (!event.attendees().isEmpty()) {
      ArrayNode attendees = item.putArray("attendees");
      for (ScheduledEvent.Attendee attendee : event.attendees()) {
        ObjectNode a = attendees.addObject().put("email", attendee.email()).put("displayName", attendee.displayName())
            .put("responseStatus", attendee.responseStatus());
        if (attendee.email().equalsIgnoreCase(event.organizerEmail())) {
          a.put("organizer", true);
        }
        if (attendee.email().equalsIgnoreCase(calendarId)) {
          a.put("self", true);
        }
        if (attendee.resource()) {
          a.put("resource", true);
        }
      }
    }
    return item;
  }

  /** {@code dateTime} for a timed event, {@code date} for an all-day one. */
  private static void time(ObjectNode node, ScheduledEvent event, Instant at) {
    if (event.day() != null) {
      node.put("date", at.atOffset(ZoneOffset.UTC).toLocalDate().toString());
    } else {
      node.put("dateTime", DateTimeFormatter.ISO_INSTANT.format(at)).put("timeZone", "UTC");
    }
  }
}
