package dev.parley.transforms.crm;

import dev.parley.model.CallRecord;
import dev.parley.model.CrmSync;
import dev.parley.model.ErrorCode;
import dev.parley.tenant.ReloadingTenantRegistry;
import dev.parley.tenant.SecretRedactor;
import dev.parley.tenant.SecretResolver;
import dev.parley.tenant.SecretUnavailableException;
import dev.parley.tenant.TenantConfig;
import dev.parley.transforms.deadletter.DeadLetters;
import dev.parley.transforms.logging.KeyValuesInMdc;
import dev.parley.transforms.metrics.StageMetrics;
import dev.parley.transforms.metrics.ThrottledWaits;
import dev.parley.transforms.ratelimit.LocalRateLimiter;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.apache.beam.sdk.util.BackOff;
import org.apache.beam.sdk.util.FluentBackoff;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One push of one call into its tenant's CRM, within the call's budget (attempts and time, waits included),
 * honouring the per-endpoint circuit breaker. Shared by the pushing step and the streaming hold, which tries
 * again later what failed for a passing reason. Opened in a DoFn's {@code @Setup}, closed in its {@code @Teardown}.
 */
final class CrmPusher implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(CrmPusher.class);

  /**
   * What one push came to: a sync row (pushed), nothing (the tenant has no CRM), or a failure with its code;
   * {@code passing} failures (the CRM down, rate-limited, its breaker open for a while) may succeed later.
   */
  record Pushed(@Nullable CrmSync sync, String crm, @Nullable ErrorCode code, @Nullable String message, int attempts,
      boolean passing) {
    boolean failed() {
      return code != null;
    }
  }

  private final WriteCallsToCrm spec;
  private final StageMetrics metrics;
  private final ThrottledWaits waits;
  private final ReloadingTenantRegistry registry;
  private final SecretResolver secrets = new SecretResolver();
  private final CrmHttp http;
  private final Map<String, CrmClient> clients;
  private final CrmCircuitBreaker breaker = CrmCircuitBreaker.shared();

  CrmPusher(WriteCallsToCrm spec, StageMetrics metrics) throws Exception {
    this.spec = spec;
    this.metrics = metrics;
    this.waits = new ThrottledWaits(metrics);
    this.registry = spec.tenants().open();
    this.http = new CrmHttp(LocalRateLimiter.shared(), waits, spec.requestTimeout());
    this.clients = Map.of(
        TenantConfig.Crm.HUBSPOT, new HubSpotClient(http, secrets),
        TenantConfig.Crm.SALESFORCE, new SalesforceClient(http, secrets),
        TenantConfig.Crm.WEBHOOK, new WebhookClient(http, secrets));
  }

  Pushed push(CallRecord call) throws InterruptedException {
    Optional<TenantConfig> tenant = registry.current().find(call.getTenantId());
    if (tenant.isEmpty()) {
      return failed(call, "none", ErrorCode.TENANT_UNKNOWN, "tenant left the config while the call was in flight", 1, false);
    }
    String kind = tenant.get().crm().kind();
    CrmClient client = clients.get(kind);
    if (client == null) {
      metrics.incTenant("skipped", call.getTenantId(), 1);
      return new Pushed(null, kind, null, null, 0, false); // crm.kind: none
    }
    String endpoint = client.endpointKey(tenant.get());
    CallBudget budget = new CallBudget(Clock.systemUTC(), spec.callBudget());
    BackOff backoff = FluentBackoff.DEFAULT
        .withInitialBackoff(org.joda.time.Duration.millis(spec.initialBackoff().toMillis()))
        .withMaxRetries(spec.maxAttempts())
        .backoff();
    for (int attempt = 1; ; attempt++) {
      Optional<CrmCircuitBreaker.Open> open = breaker.openFor(endpoint);
      if (open.isPresent()) {
        boolean forever = open.get().until().equals(java.time.Instant.MAX);
        String until = forever ? "" : " (until " + open.get().until() + ")";
        return failed(call, kind, open.get().code(), "not sent: " + open.get().reason() + until, attempt - 1,
            !forever && isPassing(open.get().code()));
      }
      try {
        CrmResult result = client.push(tenant.get(), call, budget);
        breaker.succeeded(endpoint);
        metrics.incTenant("pushed", call.getTenantId(), 1);
        return new Pushed(sync(call, kind, attempt).setStatus(CrmSync.SYNCED).setExternalId(result.externalId())
            .setContactId(result.contactId()).setCreated(result.created()).build(), kind, null, null, attempt, false);
      } catch (SecretUnavailableException e) {
        return failed(call, kind, ErrorCode.SECRET_UNAVAILABLE, e.getMessage(), attempt, false);
      } catch (RuntimeException e) {
        // A malformed URL in tenant config, an answer of an unexpected shape: this call fails, the job goes on.
        return failed(call, kind, ErrorCode.CRM_WRITE_FAILED, "unexpected failure: " + DeadLetters.describe(e), attempt,
            false);
      } catch (CrmException e) {
        if (e.blockedUntil() != null) {
          breaker.block(endpoint, e.code(), e.getMessage(), e.blockedUntil());
        }
        Duration wait = e.retryAfter() != null ? e.retryAfter() : Duration.ofMillis(Math.max(0, backoff.nextBackOffMillis()));
        if (!e.isRetryable() || attempt >= spec.maxAttempts() || !budget.allows(wait)) {
          if (e.code() == ErrorCode.CRM_UNAVAILABLE) {
            breaker.failed(endpoint, spec.breakerThreshold(), spec.breakerCooldown());
          }
          return failed(call, kind, e.code(), e.getMessage() + " (after " + attempt + " attempt(s), "
              + budget.requests() + " request(s))", attempt, e.blockedUntil() == null && isPassing(e.code()));
        }
        metrics.incTenant("retries", call.getTenantId(), 1);
        KeyValuesInMdc.forCall(LOG.atInfo(), call.getTenantId(), call.getCallId())
            .addKeyValue("stage", WriteCallsToCrm.STAGE).addKeyValue("crm", kind).addKeyValue("errorCode", e.code().name()).addKeyValue("attempt", attempt)
            .addKeyValue("waitMillis", wait.toMillis()).log("CRM push failed, will retry");
        waits.waitFor(wait, call.getTenantId(), "crm_retry");
      }
    }
  }

  /** Failures that pass by themselves: a CRM that is down, rate-limited, or briefly fenced off by the breaker. */
  static boolean isPassing(ErrorCode code) {
    return code == ErrorCode.CRM_UNAVAILABLE || code == ErrorCode.CRM_RATE_LIMITED || code == ErrorCode.CRM_CIRCUIT_OPEN;
  }

  static CrmSync.Builder sync(CallRecord call, String kind, int attempts) {
    return CrmSync.builder().setTenantId(call.getTenantId()).setCallId(call.getCallId()).setCrm(kind)
        .setAttempts(attempts).setSyncedAt(Instant.now());
  }

  private Pushed failed(CallRecord call, String kind, ErrorCode code, String message, int attempts, boolean passing) {
    return new Pushed(null, kind, code, SecretRedactor.redact(message), Math.max(1, attempts), passing);
  }

  @Override
  public void close() {
    http.close();
    secrets.close();
  }
}
