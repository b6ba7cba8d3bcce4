package dev.parley.emulator.crm;

import com.standardwebhooks.Webhook;
import com.standardwebhooks.exceptions.WebhookVerificationException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A tenant's webhook endpoint on localhost: verifies every delivery's Standard Webhooks signature with the
 * {@code standardwebhooks} library (401 when it does not hold) and keeps the verified deliveries. Limits and
 * outages are scripted: {@link #tooManyRequests} (429 with {@code retry-after}), 503, {@link #gone} (410).
 */
public final class WebhookReceiver extends HttpStandIn {
  /** A verified delivery. */
  public record Delivery(String id, long timestamp, String body) {}

  private final Webhook verifier;
  private final List<Delivery> deliveries = new ArrayList<>();
  private int refused;

  private WebhookReceiver(String secret) throws IOException {
    this.verifier = new Webhook(secret);
  }

  /** Receives deliveries signed with {@code secret} ({@code whsec_<base64>}). */
  public static WebhookReceiver start(String secret) throws IOException {
    return new WebhookReceiver(secret);
  }

  public static Answer tooManyRequests(int retryAfterSeconds) {
    return new Answer(429, "{\"error\":\"slow down\"}", Map.of("retry-after", String.valueOf(retryAfterSeconds)));
  }

  public static Answer gone() {
    return Answer.of(410, "{\"error\":\"this endpoint no longer accepts events\"}");
  }

  public String url() {
    return baseUrl() + "/hooks/parley";
  }

  public synchronized List<Delivery> deliveries() {
    return List.copyOf(deliveries);
  }

  /** Deliveries refused because their signature did not verify with this receiver's secret. */
  public synchronized int refused() {
    return refused;
  }

  @Override
  protected Answer answer(Request request) {
    try {
      verifier.verify(request.body(), request.headers());
    } catch (WebhookVerificationException e) {
      synchronized (this) {
        refused++;
      }
      return Answer.of(401, "{\"error\":\"" + e.getMessage() + "\"}");
    }
    synchronized (this) {
      deliveries.add(new Delivery(request.header("webhook-id"), Long.parseLong(request.header("webhook-timestamp")),
          request.body()));
    }
    return Answer.of(204, "");
  }
}
