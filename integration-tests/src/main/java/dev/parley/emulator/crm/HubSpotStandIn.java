package dev.parley.emulator.crm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * HubSpot CRM v3 on localhost, for one private app token: contacts and calls searched with {@code filterGroups}
 * (EQ and IN; groups OR-ed, filters AND-ed), calls created with inline associations and updated by id, the unique
 * call-id property enforced (409 on a duplicate value), 401 for another token, and the 429 bodies of the
 * {@code TEN_SECONDLY_ROLLING} and {@code DAILY} policies (scripted with {@link #tenSecondly()} and {@link #daily()}).
 */
public final class HubSpotStandIn extends HttpStandIn {
  private static final Pattern CALL_BY_ID = Pattern.compile("^/crm/v3/objects/calls/(\\d+)$");

  /** A call object as stored. */
  public record StoredCall(String id, Map<String, String> properties, List<String> contactIds, List<Integer> associationTypes) {}

  private final String token;
  private final String uniqueProperty;
  private final AtomicLong ids = new AtomicLong(9000);
  private final Map<String, Map<String, String>> contacts = new ConcurrentHashMap<>();
  private final Map<String, StoredCall> calls = new ConcurrentHashMap<>();

  private HubSpotStandIn(String token, String uniqueProperty) throws IOException {
    this.token = token;
    this.uniqueProperty = uniqueProperty;
  }

  public static HubSpotStandIn start(String token, String uniqueProperty) throws IOException {
    return new HubSpotStandIn(token, uniqueProperty);
  }

  public static Answer tenSecondly() {
    return new Answer(429, "{\"status\":\"error\",\"message\":\"You have reached your ten_secondly_rolling limit.\","
        + "\"errorType\":\"RATE_LIMIT\",\"correlationId\":\"c0ffee\",\"policyName\":\"TEN_SECONDLY_ROLLING\"}",
        Map.of("X-HubSpot-RateLimit-Interval-Milliseconds", "10000"));
  }

  public static Answer daily() {
    return Answer.of(429, "{\"status\":\"error\",\"message\":\"You have reached your daily limit.\","
        + "\"errorType\":\"RATE_LIMIT\",\"correlationId\":\"c0ffee\",\"policyName\":\"DAILY\"}");
  }

  /** Adds a contact; returns its id. */
  public String addContact(String email, String phone, String mobilephone) {
    String id = String.valueOf(ids.incrementAndGet());
    Map<String, String> properties = new ConcurrentHashMap<>();
    if (email != null) {
      properties.put("email", email);
    }
    if (phone != null) {
      properties.put("phone", phone);
    }
    if (mobilephone != null) {
      properties.put("mobilephone", mobilephone);
    }
    contacts.put(id, properties);
    return id;
  }

  public List<StoredCall> calls() {
    return List.copyOf(calls.values());
  }

  @Override
  protected Answer answer(Request request) throws IOException {
    if (!("Bearer " + token).equals(request.header("Authorization"))) {
      return Answer.of(401, "{\"status\":\"error\",\"message\":\"Authentication credentials not found.\","
          + "\"category\":\"INVALID_AUTHENTICATION\"}");
    }
    String path = request.path();
    if (request.method().equals("POST") && path.equals("/crm/v3/objects/contacts/search")) {
      return search(json(request.body()), contacts);
    }
    if (request.method().equals("POST") && path.equals("/crm/v3/objects/calls/search")) {
      Map<String, Map<String, String>> byProperties = new ConcurrentHashMap<>();
      calls.forEach((id, call) -> byProperties.put(id, call.properties()));
      return search(json(request.body()), byProperties);
    }
    if (request.method().equals("POST") && path.equals("/crm/v3/objects/calls")) {
      return create(json(request.body()));
    }
    Matcher byId = CALL_BY_ID.matcher(path);
    if (request.method().equals("PATCH") && byId.matches() && calls.containsKey(byId.group(1))) {
      StoredCall call = calls.get(byId.group(1));
      json(request.body()).path("properties").fields().forEachRemaining(p -> call.properties().put(p.getKey(), p.getValue().asText()));
      return Answer.of(200, object(call.id(), call.properties()).toString());
    }
    return Answer.of(404, "{\"status\":\"error\",\"message\":\"Not found\",\"category\":\"OBJECT_NOT_FOUND\"}");
  }

  private synchronized Answer create(JsonNode body) {
    Map<String, String> properties = new ConcurrentHashMap<>();
    body.path("properties").fields().forEachRemaining(p -> properties.put(p.getKey(), p.getValue().asText()));
    if (!properties.containsKey("hs_timestamp")) {
      return Answer.of(400, "{\"status\":\"error\",\"message\":\"Property hs_timestamp is required\",\"category\":\"VALIDATION_ERROR\"}");
    }
    String unique = properties.get(uniqueProperty);
    if (unique != null && calls.values().stream().anyMatch(c -> unique.equals(c.properties().get(uniqueProperty)))) {
      return Answer.of(409, "{\"status\":\"error\",\"message\":\"A call with " + uniqueProperty + " " + unique
          + " already exists\",\"category\":\"CONFLICT\"}");
    }
    List<String> contactIds = new ArrayList<>();
    List<Integer> types = new ArrayList<>();
    for (JsonNode association : body.path("associations")) {
      contactIds.add(association.path("to").path("id").asText());
      association.path("types").forEach(t -> types.add(t.path("associationTypeId").asInt()));
    }
    StoredCall call = new StoredCall(String.valueOf(ids.incrementAndGet()), properties, contactIds, types);
    calls.put(call.id(), call);
    return Answer.of(201, object(call.id(), properties).toString());
  }

  private static Answer search(JsonNode body, Map<String, Map<String, String>> objects) {
    List<String> matches = new ArrayList<>();
    objects.forEach((id, properties) -> {
      for (JsonNode group : body.path("filterGroups")) {
        boolean all = true;
        for (JsonNode filter : group.path("filters")) {
          String value = properties.get(filter.path("propertyName").asText());
          boolean match = switch (filter.path("operator").asText()) {
            case "EQ" -> filter.path("value").asText().equals(value);
            case "IN" -> {
              boolean found = false;
              for (JsonNode candidate : filter.path("values")) {
                found |= candidate.asText().equals(value);
              }
              yield found;
            }
            default -> false;
          };
          all &= match;
        }
        if (all) {
          matches.add(id);
          return;
        }
      }
    });
    matches.sort(String::compareTo);
    ObjectNode answer = JSON.createObjectNode().put("total", matches.size());
    ArrayNode results = answer.putArray("results");
    matches.stream().limit(body.path("limit").asInt(10)).forEach(id -> results.add(object(id, objects.get(id))));
    return Answer.of(200, answer.toString());
  }

  private static ObjectNode object(String id, Map<String, String> properties) {
    ObjectNode object = JSON.createObjectNode().put("id", id);
    ObjectNode props = object.putObject("properties");
    properties.forEach(props::put);
    return object;
  }
}
