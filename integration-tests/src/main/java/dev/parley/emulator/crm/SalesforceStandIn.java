package dev.parley.emulator.crm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jsonwebtoken.Claims;
import io.jsonwebtoken.JwtException;
import io.jsonwebtoken.Jwts;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Salesforce on localhost, for one connected app: the OAuth token endpoint (client credentials, or a JWT bearer
 * assertion verified with the app's public key: RS256, issuer, subject, audience, expiry), SOQL lookups of Contacts
 * and Leads by email and phone, and Task upserts by external id with Salesforce's answers (201, 200, 300 for
 * duplicates, 400 when TaskSubtype is sent on an update). Tokens can be expired ({@link #expireTokens}: 401
 * INVALID_SESSION_ID, {@link #expireNextToken}), and the org's limit scripted ({@link #requestLimitExceeded}).
 */
public final class SalesforceStandIn extends HttpStandIn {
  private static final Pattern TASK_UPSERT = Pattern.compile("^/services/data/v\\d+\\.\\d/sobjects/Task/(\\w+)/(.+)$");
  private static final Pattern QUERY = Pattern.compile("^/services/data/v\\d+\\.\\d/query$");
  private static final Pattern SOQL = Pattern.compile("SELECT Id FROM (Contact|Lead) WHERE (.*) LIMIT 1");
  private static final Pattern CONDITION = Pattern.compile("(\\w+) IN \\(((?:'(?:[^'\\\\]|\\\\.)*',?)*)\\)");
  private static final Pattern LITERAL = Pattern.compile("'((?:[^'\\\\]|\\\\.)*)'");

  /** A Task as stored. */
  public record Task(String id, String externalId, Map<String, String> fields) {}

  private final String clientId;
  private final String clientSecret;
  private final PublicKey jwtKey;
  private final String username;
  private final AtomicLong ids = new AtomicLong();
  private final Set<String> validTokens = ConcurrentHashMap.newKeySet();
  private volatile boolean expireNext;
  private final Map<String, List<Map<String, String>>> people = new ConcurrentHashMap<>();
  private final List<Task> tasks = new ArrayList<>();

  private SalesforceStandIn(String clientId, String clientSecret, PublicKey jwtKey, String username) throws IOException {
    this.clientId = clientId;
    this.clientSecret = clientSecret;
    this.jwtKey = jwtKey;
    this.username = username;
  }

  /** Accepts {@code clientId}/{@code clientSecret}, or assertions for {@code username} signed by {@code jwtKey}'s pair. */
  public static SalesforceStandIn start(String clientId, String clientSecret, PublicKey jwtKey, String username)
      throws IOException {
    return new SalesforceStandIn(clientId, clientSecret, jwtKey, username);
  }

  public static Answer requestLimitExceeded() {
    return Answer.of(403, "[{\"message\":\"TotalRequests Limit exceeded.\",\"errorCode\":\"REQUEST_LIMIT_EXCEEDED\"}]");
  }

  /** Adds a Contact or Lead; returns its id. */
  public String addPerson(String object, String email, String phone) {
    String id = (object.equals("Contact") ? "003" : "00Q") + String.format("%012d", ids.incrementAndGet());
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("Id", id);
    fields.put("Email", email);
    fields.put("Phone", phone);
    people.computeIfAbsent(object, o -> new ArrayList<>()).add(fields);
    return id;
  }

  /** Every token issued so far stops working, as when a session expires. */
  public void expireTokens() {
    validTokens.clear();
  }

  /** The next token issued expires before its first use. */
  public void expireNextToken() {
    expireNext = true;
  }

  /** Adds a Task directly, e.g. a duplicate external id. */
  public synchronized void addTask(String externalIdField, String externalId) {
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put(externalIdField, externalId);
    tasks.add(new Task("00T" + String.format("%012d", ids.incrementAndGet()), externalId, fields));
  }

  public synchronized List<Task> tasks() {
    return List.copyOf(tasks);
  }

  @Override
  protected Answer answer(Request request) throws IOException {
    if (request.method().equals("POST") && request.path().equals("/services/oauth2/token")) {
      return token(form(request.body()));
    }
    String auth = request.header("Authorization");
    if (auth == null || !validTokens.contains(auth.replaceFirst("^Bearer ", ""))) {
      return Answer.of(401, "[{\"message\":\"Session expired or invalid\",\"errorCode\":\"INVALID_SESSION_ID\"}]");
    }
    Matcher upsert = TASK_UPSERT.matcher(request.path());
    if (request.method().equals("PATCH") && upsert.matches()) {
      return upsert(upsert.group(1), URLDecoder.decode(upsert.group(2), StandardCharsets.UTF_8), json(request.body()));
    }
    if (request.method().equals("GET") && QUERY.matcher(request.path()).matches()) {
      return query(URLDecoder.decode(request.query().replaceFirst("^q=", ""), StandardCharsets.UTF_8));
    }
    return Answer.of(404, "[{\"message\":\"The requested resource does not exist\",\"errorCode\":\"NOT_FOUND\"}]");
  }

  private Answer token(Map<String, String> form) {
    boolean valid = switch (form.getOrDefault("grant_type", "")) {
      case "client_credentials" -> clientId.equals(form.get("client_id")) && clientSecret.equals(form.get("client_secret"));
      case "urn:ietf:params:oauth:grant-type:jwt-bearer" -> validAssertion(form.get("assertion"));
      default -> false;
    };
    if (!valid) {
      return Answer.of(400, "{\"error\":\"invalid_grant\",\"error_description\":\"authentication failure\"}");
    }
    String token = "00D!" + UUID.randomUUID();
    if (!expireNext) {
      validTokens.add(token);
    }
    expireNext = false;
    return Answer.of(200, JSON.createObjectNode().put("access_token", token).put("instance_url", baseUrl())
        .put("token_type", "Bearer").put("id", baseUrl() + "/id/00D/005").toString());
  }

  private boolean validAssertion(String assertion) {
    try {
      Claims claims = Jwts.parser().verifyWith(jwtKey).build().parseSignedClaims(assertion).getPayload();
      return clientId.equals(claims.getIssuer()) && username.equals(claims.getSubject())
          && claims.getAudience().contains("https://login.salesforce.com") && claims.getExpiration() != null;
    } catch (JwtException | IllegalArgumentException e) {
      return false;
    }
  }

  private synchronized Answer upsert(String field, String externalId, JsonNode body) {
    List<Task> matching = tasks.stream().filter(t -> externalId.equals(t.fields().get(field))).toList();
    if (matching.size() > 1) {
      ArrayNode choices = JSON.createArrayNode();
      matching.forEach(t -> choices.add("/services/data/v62.0/sobjects/Task/" + t.id()));
      return Answer.of(300, choices.toString());
    }
    if (!matching.isEmpty() && body.has("TaskSubtype")) {
      return Answer.of(400, "[{\"message\":\"Unable to create/update fields: TaskSubtype. Please check the security"
          + " settings of this field and verify that it is read/write for your profile or permission set.\","
          + "\"errorCode\":\"INVALID_FIELD_FOR_INSERT_UPDATE\",\"fields\":[\"TaskSubtype\"]}]");
    }
    Task task = matching.isEmpty()
        ? new Task("00T" + String.format("%012d", ids.incrementAndGet()), externalId, new LinkedHashMap<>())
        : matching.get(0);
    task.fields().put(field, externalId);
    body.fields().forEachRemaining(f -> task.fields().put(f.getKey(), f.getValue().asText()));
    if (matching.isEmpty()) {
      tasks.add(task);
    }
    ObjectNode answer = JSON.createObjectNode().put("id", task.id()).put("success", true).put("created", matching.isEmpty());
    answer.putArray("errors");
    return Answer.of(matching.isEmpty() ? 201 : 200, answer.toString());
  }

  private Answer query(String soql) {
    Matcher select = SOQL.matcher(soql);
    if (!select.matches()) {
      return Answer.of(400, "[{\"message\":\"unexpected query\",\"errorCode\":\"MALFORMED_QUERY\"}]");
    }
    List<Map<String, String>> found = new ArrayList<>();
    for (Map<String, String> person : people.getOrDefault(select.group(1), List.of())) {
      Matcher condition = CONDITION.matcher(select.group(2));
      while (condition.find()) {
        String value = person.get(condition.group(1));
        Matcher literal = LITERAL.matcher(condition.group(2));
        boolean match = false;
        while (literal.find()) {
          match |= literal.group(1).replaceAll("\\\\(.)", "$1").equals(value);
        }
        if (match) {
          found.add(person);
          break;
        }
      }
    }
    ObjectNode answer = JSON.createObjectNode().put("totalSize", Math.min(1, found.size())).put("done", true);
    ArrayNode records = answer.putArray("records");
    found.stream().limit(1).forEach(p -> records.addObject().put("Id", p.get("Id")));
    return Answer.of(200, answer.toString());
  }
}
