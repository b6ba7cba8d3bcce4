package dev.parley.transforms.crm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.model.ErrorCode;
import dev.parley.tenant.SecretRedactor;
import dev.parley.transforms.metrics.ThrottledWaits;
import dev.parley.transforms.ratelimit.RateLimiter;
import dev.parley.transforms.ratelimit.RequestRate;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The HTTP side shared by the CRM clients: one JDK {@link HttpClient} per DoFn instance, requests paced by the
 * {@link RateLimiter} within the call's {@link CallBudget}, a timeout on every request, and the common
 * reading of answers (429 and 5xx are worth retrying, honouring {@code Retry-After}; other 4xx are not).
 */
public final class CrmHttp implements AutoCloseable {
  static final ObjectMapper JSON = new ObjectMapper();
  private static final int EXCERPT_CHARS = 300;

  private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
    Thread thread = new Thread(r, "parley-crm-http");
    thread.setDaemon(true);
    return thread;
  });
  private final HttpClient client;
  private final RateLimiter limiter;
  private final ThrottledWaits waits;
  private final Duration requestTimeout;

  CrmHttp(RateLimiter limiter, ThrottledWaits waits, Duration requestTimeout) {
    this.limiter = limiter;
    this.waits = waits;
    this.requestTimeout = requestTimeout;
    this.client = HttpClient.newBuilder().executor(executor).connectTimeout(requestTimeout).build();
  }

  /**
   * Sends one request of {@code tenantId}'s call after taking a token from each bucket in {@code limits}
   * (key, rate pairs). Fails as rate limited, without waiting, when the pace would outlast the call's budget.
   */
  HttpResponse<String> send(CallBudget budget, String tenantId, HttpRequest.Builder request, Limit... limits)
      throws CrmException, InterruptedException {
    for (Limit limit : limits) {
      Duration wait = limiter.reserve(limit.key(), limit.rate());
      if (!budget.allows(wait)) {
        throw CrmException.permanent(ErrorCode.CRM_RATE_LIMITED, "the tenant's request rate (" + limit.rate().requests()
            + " per " + limit.rate().period().toSeconds() + " s) would delay this call " + wait.toSeconds()
            + " s, past its budget; replay it from the dead letters");
      }
      waits.waitFor(wait, tenantId, "crm_rate");
    }
    Duration timeout = budget.remaining().compareTo(requestTimeout) < 0 ? budget.remaining() : requestTimeout;
    if (timeout.isZero()) {
      throw CrmException.permanent(ErrorCode.CRM_UNAVAILABLE, "the call's time budget is spent");
    }
    budget.countRequest();
    HttpRequest built = request.timeout(timeout).build();
    try {
      return client.send(built, HttpResponse.BodyHandlers.ofString());
    } catch (HttpTimeoutException e) {
      throw CrmException.retryable(ErrorCode.CRM_UNAVAILABLE, built.method() + " " + built.uri().getPath()
          + " timed out after " + timeout.toMillis() + " ms", null);
    } catch (IOException e) {
      throw CrmException.retryable(ErrorCode.CRM_UNAVAILABLE, built.method() + " " + built.uri().getPath()
          + " failed: " + e.getClass().getSimpleName(), null);
    }
  }

  /** A rate-limiter bucket and its rate. */
  record Limit(String key, RequestRate rate) {}

  /** The common reading of a failed answer; the clients handle their CRM's special cases first. */
  static CrmException failure(String what, HttpResponse<String> response) {
    int status = response.statusCode();
    String message = what + " answered HTTP " + status + ": " + excerpt(response.body());
    if (status == 429 || status >= 500) {
      return CrmException.retryable(status == 429 ? ErrorCode.CRM_RATE_LIMITED : ErrorCode.CRM_UNAVAILABLE, message,
          retryAfter(response));
    }
    if (status == 401 || status == 403) {
      return CrmException.permanent(ErrorCode.CRM_AUTH_FAILED, message);
    }
    return CrmException.permanent(ErrorCode.CRM_REJECTED, message);
  }

  /** {@code Retry-After} in seconds, when the answer has it. */
  static @Nullable Duration retryAfter(HttpResponse<String> response) {
    OptionalLong seconds = response.headers().firstValueAsLong("retry-after");
    return seconds.isPresent() ? Duration.ofSeconds(Math.max(0, seconds.getAsLong())) : null;
  }

  static JsonNode json(HttpResponse<String> response) throws CrmException {
    try {
      return JSON.readTree(response.body() == null || response.body().isEmpty() ? "{}" : response.body());
    } catch (IOException e) {
      throw CrmException.permanent(ErrorCode.CRM_REJECTED, "answer is not JSON: " + excerpt(response.body()));
    }
  }

  static String body(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The start of a response body, with known secrets blanked: safe for logs and dead letters. */
  static String excerpt(@Nullable String body) {
    if (body == null || body.isBlank()) {
      return "(no body)";
    }
    String text = body.length() > EXCERPT_CHARS ? body.substring(0, EXCERPT_CHARS) + "…" : body;
    return SecretRedactor.redact(text.replaceAll("\\s+", " "));
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
