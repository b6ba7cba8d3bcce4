package dev.parley.transforms.crm;

import com.standardwebhooks.Webhook;
import com.standardwebhooks.exceptions.WebhookSigningException;
import dev.parley.model.CallMetadata;
import dev.parley.model.CallRecord;
import dev.parley.model.ErrorCode;
import dev.parley.model.TranscriptSegment;
import dev.parley.tenant.SecretResolver;
import dev.parley.tenant.SecretUnavailableException;
import dev.parley.tenant.TenantConfig;
import dev.parley.transforms.ratelimit.RequestRate;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Delivers a {@code call.transcribed} event to the tenant's endpoint, signed as Standard Webhooks prescribe
 * (the {@code standardwebhooks} library): {@code webhook-id} is the call id, so a receiver drops a redelivered
 * call; {@code webhook-timestamp} and {@code webhook-signature} ({@code v1,} HMAC-SHA256 of id, timestamp and
 * body) prove it came from Parley. 429 and 5xx are retried honouring {@code retry-after}; 410 Gone disables the
 * endpoint for this worker (until the tenant configures another URL or the job restarts).
 */
public final class WebhookClient implements CrmClient {
  static final String EVENT_TYPE = "call.transcribed";

  private final CrmHttp http;
  private final SecretResolver secrets;

  WebhookClient(CrmHttp http, SecretResolver secrets) {
    this.http = http;
    this.secrets = secrets;
  }

  @Override
  public String endpointKey(TenantConfig tenant) {
    return "webhook/" + tenant.id() + "/" + tenant.crm().webhook().url();
  }

  @Override
  public CrmResult push(TenantConfig tenant, CallRecord call, CallBudget budget)
      throws CrmException, SecretUnavailableException, InterruptedException {
    TenantConfig.Webhook settings = tenant.crm().webhook();
    String body = CrmHttp.body(event(tenant, call));
    long timestamp = Instant.now().getEpochSecond();
    String signature;
    try {
      signature = new Webhook(secrets.resolve(settings.signingSecret())).sign(call.getCallId(), timestamp, body);
    } catch (WebhookSigningException | IllegalArgumentException e) {
      throw CrmException.permanent(ErrorCode.CRM_AUTH_FAILED,
          "crm.webhook.signingSecret is not a whsec_ base64 secret (" + e.getClass().getSimpleName() + ")");
    }
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(settings.url()))
        .header("Content-Type", "application/json")
        .header("webhook-id", call.getCallId())
        .header("webhook-timestamp", String.valueOf(timestamp))
        .header("webhook-signature", signature)
        .POST(HttpRequest.BodyPublishers.ofString(body));
    RequestRate rate = RequestRate.perMinute(settings.requestsPerMinute() == null
        ? TenantConfig.Webhook.DEFAULT_REQUESTS_PER_MINUTE : settings.requestsPerMinute());
    HttpResponse<String> response = http.send(budget, tenant.id(), request, new CrmHttp.Limit(endpointKey(tenant), rate));
    if (response.statusCode() / 100 == 2) {
      return new CrmResult(call.getCallId(), null, false);
    }
    if (response.statusCode() == 410) {
      throw CrmException.blocking(ErrorCode.CRM_ENDPOINT_GONE, "webhook endpoint " + settings.url()
          + " answered 410 Gone: disabled until crm.webhook.url changes", Instant.MAX);
    }
    throw CrmHttp.failure("webhook endpoint", response);
  }

  private static Map<String, Object> event(TenantConfig tenant, CallRecord call) {
    CallMetadata metadata = call.getMetadata() == null ? CallMetadata.builder().build() : call.getMetadata();
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("tenantId", call.getTenantId());
    data.put("callId", call.getCallId());
    data.put("link", CallText.link(tenant, call));
    data.put("direction", metadata.getDirection());
    data.put("fromNumber", metadata.getFromNumber());
    data.put("toNumber", metadata.getToNumber());
    data.put("participantEmails", CallText.emails(call));
    data.put("durationMillis", call.getAudio().getDurationMillis());
    data.put("language", call.getTranscript().getLanguage());
    data.put("summary", call.getTranscript().getSummary());
    data.put("actionItems", call.getTranscript().getActionItems());
    List<Map<String, Object>> segments = new ArrayList<>();
    for (TranscriptSegment segment : call.getTranscript().getSegments()) {
      segments.add(Map.of("speaker", segment.getSpeaker(), "startMillis", segment.getStartMillis(),
          "endMillis", segment.getEndMillis(), "text", segment.getText()));
    }
    data.put("segments", segments);
    Map<String, Object> event = new LinkedHashMap<>();
    event.put("type", EVENT_TYPE);
    event.put("timestamp", Instant.ofEpochMilli(call.getProcessedAt().getMillis()).toString());
    event.put("data", data);
    return event;
  }
}
