package dev.parley.transforms.crm;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.model.CallMetadata;
import dev.parley.model.CallRecord;
import dev.parley.model.ErrorCode;
import dev.parley.tenant.SecretResolver;
import dev.parley.tenant.SecretUnavailableException;
import dev.parley.tenant.TenantConfig;
import dev.parley.transforms.ratelimit.RequestRate;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * HubSpot CRM v3: logs the call as a call engagement associated with the customer's contact.
 *
 * <p>HubSpot has no idempotency header. Parley keeps the call id in a custom call property with unique values
 * ({@code parley_call_id} unless configured): a push first searches calls by it and updates the one it finds;
 * otherwise it creates the call, and if a concurrent push created it first, HubSpot refuses the duplicate value
 * (409) and this push updates that one instead. So a redelivered call never creates a second call object.
 *
 * <p>The contact is searched by email first (the matched meeting's external attendees and the call's participants),
 * then by the customer's number in its usual spellings on {@code phone} and {@code mobilephone}. Requests are paced per account at the tier's burst limit
 * (100 or 190 per 10 s), searches also at 4 per second. A 429 of the ten-secondly policy is retried after a
 * wait; a 429 of the {@code DAILY} policy ends the push and blocks the tenant's account for an hour.
 */
public final class HubSpotClient implements CrmClient {
  /** HubSpot-defined association type of a call to a contact. */
  static final int CALL_TO_CONTACT = 194;
  static final Duration DAILY_LIMIT_BLOCK = Duration.ofHours(1);
  private static final RequestRate SEARCH_RATE = new RequestRate(4, Duration.ofSeconds(1));
  private static final int BODY_CHARS = 65_000;

  private final CrmHttp http;
  private final SecretResolver secrets;

  HubSpotClient(CrmHttp http, SecretResolver secrets) {
    this.http = http;
    this.secrets = secrets;
  }

  @Override
  public String endpointKey(TenantConfig tenant) {
    String base = tenant.crm().hubspot().baseUrl();
    return "hubspot/" + tenant.id() + "/" + (base == null ? TenantConfig.HubSpot.DEFAULT_BASE_URL : base);
  }

  @Override
  public CrmResult push(TenantConfig tenant, CallRecord call, CallBudget budget)
      throws CrmException, SecretUnavailableException, InterruptedException {
    Session session = new Session(tenant, call, budget, secrets.resolve(tenant.crm().hubspot().accessToken()));
    String existing = session.findCall();
    if (existing != null) {
      session.update(existing);
      return new CrmResult(existing, null, false);
    }
    String contact = session.findContact();
    HttpResponse<String> created = session.send("POST", "/crm/v3/objects/calls",
        Map.of("properties", session.properties(), "associations", contact == null ? List.of() : List.of(Map.of(
            "to", Map.of("id", contact),
            "types", List.of(Map.of("associationCategory", "HUBSPOT_DEFINED", "associationTypeId", CALL_TO_CONTACT))))),
        false);
    if (created.statusCode() == 409) {
      String winner = session.findCall(); // A concurrent push of the same call created it first.
      if (winner == null) {
        throw session.failure("create call", created);
      }
      session.update(winner);
      return new CrmResult(winner, contact, false);
    }
    if (created.statusCode() / 100 != 2) {
      throw session.failure("create call", created);
    }
    return new CrmResult(CrmHttp.json(created).path("id").asText(null), contact, true);
  }

  /** One push: the tenant's settings, token and budget. */
  private final class Session {
    private final TenantConfig tenant;
    private final TenantConfig.HubSpot settings;
    private final CallRecord call;
    private final CallBudget budget;
    private final String token;

    Session(TenantConfig tenant, CallRecord call, CallBudget budget, String token) {
      this.tenant = tenant;
      this.settings = tenant.crm().hubspot();
      this.call = call;
      this.budget = budget;
      this.token = token;
    }

    String callIdProperty() {
      return settings.callIdProperty() == null ? TenantConfig.HubSpot.DEFAULT_CALL_ID_PROPERTY : settings.callIdProperty();
    }

    @Nullable String findCall() throws CrmException, InterruptedException {
      return search("calls", List.of(Map.of("filters", List.of(
          Map.of("propertyName", callIdProperty(), "operator", "EQ", "value", call.getCallId())))));
    }

    /** By email, then by phone: two searches at most. */
    @Nullable String findContact() throws CrmException, InterruptedException {
      // HubSpot matches IN values of string properties in lower case only.
      List<String> emails = CallText.contactEmails(call).stream().map(e -> e.toLowerCase(java.util.Locale.ROOT)).toList();
      if (!emails.isEmpty()) {
        String byEmail = search("contacts", List.of(Map.of("filters", List.of(
            Map.of("propertyName", "email", "operator", "IN", "values", emails)))));
        if (byEmail != null) {
          return byEmail;
        }
      }
      List<String> phones = CallText.phoneVariants(call);
      if (phones.isEmpty()) {
        return null;
      }
      return search("contacts", List.of(
          Map.of("filters", List.of(Map.of("propertyName", "phone", "operator", "IN", "values", phones))),
          Map.of("filters", List.of(Map.of("propertyName", "mobilephone", "operator", "IN", "values", phones)))));
    }

    private @Nullable String search(String objects, List<Map<String, Object>> filterGroups)
        throws CrmException, InterruptedException {
      HttpResponse<String> response = send("POST", "/crm/v3/objects/" + objects + "/search",
          Map.of("filterGroups", filterGroups, "properties", List.of("hs_object_id"), "limit", 1), true);
      if (response.statusCode() != 200) {
        throw failure("search " + objects, response);
      }
      JsonNode results = CrmHttp.json(response).path("results");
      return results.isEmpty() ? null : results.get(0).path("id").asText(null);
    }

    void update(String id) throws CrmException, InterruptedException {
      HttpResponse<String> response = send("PATCH", "/crm/v3/objects/calls/" + id, Map.of("properties", properties()), false);
      if (response.statusCode() != 200) {
        throw failure("update call", response);
      }
    }

    Map<String, Object> properties() {
      CallMetadata metadata = call.getMetadata() == null ? CallMetadata.builder().build() : call.getMetadata();
      Map<String, Object> properties = new LinkedHashMap<>();
      Instant start = metadata.getStartTime() != null
          ? Instant.ofEpochMilli(metadata.getStartTime().getMillis()) : Instant.ofEpochMilli(call.getArrivedAt().getMillis());
      properties.put("hs_timestamp", start.toString());
      properties.put("hs_call_title", CallText.title(call));
      properties.put("hs_call_body", CallText.body(tenant, call, BODY_CHARS));
      properties.put("hs_call_duration", String.valueOf(call.getAudio().getDurationMillis()));
      properties.put("hs_call_status", "COMPLETED");
      if (metadata.getDirection() != null) {
        properties.put("hs_call_direction", metadata.getDirection());
      }
      if (metadata.getFromNumber() != null) {
        properties.put("hs_call_from_number", metadata.getFromNumber());
      }
      if (metadata.getToNumber() != null) {
        properties.put("hs_call_to_number", metadata.getToNumber());
      }
      properties.put(callIdProperty(), call.getCallId());
      return properties;
    }

    HttpResponse<String> send(String method, String path, Object body, boolean search)
        throws CrmException, InterruptedException {
      String base = settings.baseUrl() == null ? TenantConfig.HubSpot.DEFAULT_BASE_URL : settings.baseUrl();
      HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(stripSlash(base) + path))
          .header("Authorization", "Bearer " + token)
          .header("Content-Type", "application/json")
          .method(method, HttpRequest.BodyPublishers.ofString(CrmHttp.body(body)));
      CrmHttp.Limit account = new CrmHttp.Limit(endpointKey(tenant),
          new RequestRate(settings.requestsPerTenSeconds(), Duration.ofSeconds(10)));
      return search
          ? http.send(budget, tenant.id(), request, account, new CrmHttp.Limit(endpointKey(tenant) + "/search", SEARCH_RATE))
          : http.send(budget, tenant.id(), request, account);
    }

    /** HubSpot's 429 names its policy: the daily one is not worth retrying today. */
    CrmException failure(String what, HttpResponse<String> response) {
      if (response.statusCode() == 429) {
        String policy = policyOf(response);
        if ("DAILY".equals(policy)) {
          return CrmException.blocking(ErrorCode.CRM_DAILY_LIMIT_REACHED,
              "HubSpot " + what + ": the account's daily API limit is spent (429 DAILY)",
              Instant.now().plus(DAILY_LIMIT_BLOCK));
        }
        Duration wait = CrmHttp.retryAfter(response);
        return CrmException.retryable(ErrorCode.CRM_RATE_LIMITED, "HubSpot " + what + " answered 429 " + policy,
            wait != null ? wait : Duration.ofSeconds(1));
      }
      return CrmHttp.failure("HubSpot " + what, response);
    }

    private String policyOf(HttpResponse<String> response) {
      try {
        return CrmHttp.json(response).path("policyName").asText("TEN_SECONDLY_ROLLING");
      } catch (CrmException e) {
        return "TEN_SECONDLY_ROLLING";
      }
    }
  }

  static String stripSlash(String url) {
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }
}
