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
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Salesforce REST: logs the call as a Task, upserted on the tenant's external-id field
 * ({@code PATCH /services/data/vXX.X/sobjects/Task/{field}/{callId}}: 201 created, 200 or 204 updated, 300 when
 * several Tasks hold the id), so a redelivered call updates its Task. {@code WhoId} is the Contact, else the Lead,
 * found by email, else by phone, with SOQL.
 *
 * <p>{@code TaskSubtype = 'Call'} can only be set when a Task is created: a push sends it, and when Salesforce
 * refuses it because the upsert found an existing Task, the push repeats the update without it. An expired
 * token (401 {@code INVALID_SESSION_ID}) is refreshed once per request. {@code REQUEST_LIMIT_EXCEEDED} (403) means
 * the org's rolling 24-hour allowance is spent: the push ends and the tenant is blocked for an hour.
 */
public final class SalesforceClient implements CrmClient {
  static final Duration REQUEST_LIMIT_BLOCK = Duration.ofHours(1);
  private static final int DESCRIPTION_CHARS = 32_000;

  private final CrmHttp http;
  private final SalesforceAuth auth;

  SalesforceClient(CrmHttp http, SecretResolver secrets) {
    this.http = http;
    this.auth = new SalesforceAuth(http, secrets);
  }

  @Override
  public String endpointKey(TenantConfig tenant) {
    return "salesforce/" + tenant.id() + "/" + tenant.crm().salesforce().instanceUrl();
  }

  @Override
  public CrmResult push(TenantConfig tenant, CallRecord call, CallBudget budget)
      throws CrmException, SecretUnavailableException, InterruptedException {
    TenantConfig.Salesforce settings = tenant.crm().salesforce();
    String who = findWho(tenant, call, budget);
    Map<String, Object> task = task(tenant, call, who);
    String path = "/sobjects/Task/" + settings.externalIdField() + "/" + encode(call.getCallId());
    HttpResponse<String> response = send(tenant, budget, "PATCH", path, task);
    if (response.statusCode() == 400 && response.body().contains("TaskSubtype")) {
      task.remove("TaskSubtype"); // The Task exists: its subtype was set when it was created.
      response = send(tenant, budget, "PATCH", path, task);
    }
    switch (response.statusCode()) {
      case 201, 200 -> {
        return new CrmResult(CrmHttp.json(response).path("id").asText(null), who, response.statusCode() == 201);
      }
      case 204 -> {
        return new CrmResult(null, who, false);
      }
      case 300 -> throw CrmException.permanent(ErrorCode.CRM_AMBIGUOUS_MATCH, "several Salesforce Tasks have "
          + settings.externalIdField() + " = " + call.getCallId() + "; remove the duplicates and replay");
      default -> throw failure("Task upsert", response);
    }
  }

  private Map<String, Object> task(TenantConfig tenant, CallRecord call, @Nullable String who) {
    CallMetadata metadata = call.getMetadata();
    Map<String, Object> task = new LinkedHashMap<>();
    task.put("Subject", CallText.title(call));
    task.put("Description", CallText.body(tenant, call, DESCRIPTION_CHARS));
    task.put("CallDurationInSeconds", Math.round(call.getAudio().getDurationMillis() / 1000.0));
    task.put("ActivityDate", LocalDate.ofInstant(Instant.ofEpochMilli(call.getArrivedAt().getMillis()), ZoneOffset.UTC).toString());
    task.put("Status", "Completed");
    if (metadata != null && metadata.getDirection() != null) {
      task.put("CallType", CallMetadata.OUTBOUND.equals(metadata.getDirection()) ? "Outbound" : "Inbound");
    }
    if (who != null) {
      task.put("WhoId", who);
    }
    task.put("TaskSubtype", "Call");
    return task;
  }

  /**
   * The Contact, else the Lead, whose email matches the call (the meeting's external attendees, the participants);
   * failing that, whose phone does: an email names a person, a number may be a shared line. Four SOQL queries at most.
   */
  private @Nullable String findWho(TenantConfig tenant, CallRecord call, CallBudget budget)
      throws CrmException, SecretUnavailableException, InterruptedException {
    List<String> emails = CallText.contactEmails(call);
    List<String> phones = CallText.phoneVariants(call);
    List<String> byEmail = emails.isEmpty() ? List.of() : List.of("Email IN " + soqlList(emails));
    List<String> byPhone = phones.isEmpty() ? List.of()
        : List.of("Phone IN " + soqlList(phones), "MobilePhone IN " + soqlList(phones));
    for (List<String> conditions : List.of(byEmail, byPhone)) {
      if (conditions.isEmpty()) {
        continue;
      }
      for (String object : List.of("Contact", "Lead")) {
        String soql = "SELECT Id FROM " + object + " WHERE " + String.join(" OR ", conditions) + " LIMIT 1";
        HttpResponse<String> response = send(tenant, budget, "GET", "/query?q=" + encode(soql), null);
        if (response.statusCode() != 200) {
          throw failure(object + " query", response);
        }
        JsonNode records = CrmHttp.json(response).path("records");
        if (!records.isEmpty()) {
          return records.get(0).path("Id").asText(null);
        }
      }
    }
    return null;
  }

  /** Sends with the tenant's token; a 401 refreshes the token and sends once more. */
  private HttpResponse<String> send(TenantConfig tenant, CallBudget budget, String method, String path,
      @Nullable Object body) throws CrmException, SecretUnavailableException, InterruptedException {
    TenantConfig.Salesforce settings = tenant.crm().salesforce();
    CrmHttp.Limit limit = new CrmHttp.Limit(endpointKey(tenant), RequestRate.perMinute(
        settings.requestsPerMinute() == null ? TenantConfig.Salesforce.DEFAULT_REQUESTS_PER_MINUTE : settings.requestsPerMinute()));
    SalesforceAuth.Session session = auth.session(tenant, budget, limit);
    for (int attempt = 1; ; attempt++) {
      String version = settings.apiVersion() == null ? TenantConfig.Salesforce.DEFAULT_API_VERSION : settings.apiVersion();
      HttpRequest.Builder request = HttpRequest.newBuilder(
              URI.create(HubSpotClient.stripSlash(session.instanceUrl()) + "/services/data/" + version + path))
          .header("Authorization", "Bearer " + session.accessToken())
          .header("Content-Type", "application/json")
          .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
              : HttpRequest.BodyPublishers.ofString(CrmHttp.body(body)));
      HttpResponse<String> response = http.send(budget, tenant.id(), request, limit);
      if (response.statusCode() != 401 || attempt > 1) {
        return response;
      }
      session = auth.refresh(tenant, budget, limit);
    }
  }

  private static CrmException failure(String what, HttpResponse<String> response) {
    if (response.statusCode() == 403 && response.body() != null && response.body().contains("REQUEST_LIMIT_EXCEEDED")) {
      return CrmException.blocking(ErrorCode.CRM_DAILY_LIMIT_REACHED,
          "Salesforce " + what + ": the org's API request limit is spent (403 REQUEST_LIMIT_EXCEEDED)",
          Instant.now().plus(REQUEST_LIMIT_BLOCK));
    }
    return CrmHttp.failure("Salesforce " + what, response);
  }

  /** A SOQL list of string literals, quotes and backslashes escaped. */
  static String soqlList(List<String> values) {
    return values.stream().map(v -> "'" + v.replace("\\", "\\\\").replace("'", "\\'") + "'")
        .collect(Collectors.joining(",", "(", ")"));
  }

  private static String encode(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
