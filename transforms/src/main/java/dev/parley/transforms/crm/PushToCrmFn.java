package dev.parley.transforms.crm;

import dev.parley.model.CallRecord;
import dev.parley.model.CrmSync;
import dev.parley.model.DeadLetter;
import dev.parley.model.ErrorCode;
import dev.parley.tenant.ReloadingTenantRegistry;
import dev.parley.tenant.SecretRedactor;
import dev.parley.tenant.SecretResolver;
import dev.parley.tenant.SecretUnavailableException;
import dev.parley.tenant.TenantConfig;
import dev.parley.transforms.deadletter.DeadLetters;
import dev.parley.transforms.deadletter.PayloadEncoder;
import dev.parley.transforms.logging.KeyValuesInMdc;
import dev.parley.transforms.metrics.StageMetrics;
import dev.parley.transforms.metrics.ThrottledWaits;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.util.BackOff;
import org.apache.beam.sdk.util.FluentBackoff;
import org.joda.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Pushes one call into its tenant's CRM within the call's budget; see {@link WriteCallsToCrm}. */
final class PushToCrmFn extends DoFn<CallRecord, CrmSync> {
  private static final Logger LOG = LoggerFactory.getLogger(PushToCrmFn.class);

  private final WriteCallsToCrm spec;
  private final PayloadEncoder<CallRecord> encoder;
  private final StageMetrics metrics = new StageMetrics(WriteCallsToCrm.STAGE);
  private final ThrottledWaits waits = new ThrottledWaits(metrics);
  private transient ReloadingTenantRegistry registry;
  private transient SecretResolver secrets;
  private transient CrmHttp http;
  private transient Map<String, CrmClient> clients;
  private transient CrmCircuitBreaker breaker;

  PushToCrmFn(WriteCallsToCrm spec, PayloadEncoder<CallRecord> encoder) {
    this.spec = spec;
    this.encoder = encoder;
  }

  @Setup
  public void setup() throws Exception {
    registry = spec.tenants().open();
    secrets = new SecretResolver();
    http = new CrmHttp(LocalCrmRateLimiter.shared(), waits, spec.requestTimeout());
    clients = Map.of(
        TenantConfig.Crm.HUBSPOT, new HubSpotClient(http, secrets),
        TenantConfig.Crm.SALESFORCE, new SalesforceClient(http, secrets),
        TenantConfig.Crm.WEBHOOK, new WebhookClient(http, secrets));
    breaker = CrmCircuitBreaker.shared();
  }

  @Teardown
  public void teardown() {
    if (http != null) {
      http.close();
    }
    if (secrets != null) {
      secrets.close();
    }
  }

  @ProcessElement
  public void process(@Element CallRecord call, MultiOutputReceiver out) throws InterruptedException {
    Optional<TenantConfig> tenant = registry.current().find(call.getTenantId());
    if (tenant.isEmpty()) {
      fail(out, call, "none", ErrorCode.TENANT_UNKNOWN, "tenant left the config while the call was in flight", 1);
      return;
    }
    String kind = tenant.get().crm().kind();
    CrmClient client = clients.get(kind);
    if (client == null) {
      metrics.incTenant("skipped", call.getTenantId(), 1);
      return; // crm.kind: none
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
        String until = open.get().until().equals(java.time.Instant.MAX) ? "" : " (until " + open.get().until() + ")";
        fail(out, call, kind, open.get().code(), "not sent: " + open.get().reason() + until, attempt - 1);
        return;
      }
      try {
        CrmResult result = client.push(tenant.get(), call, budget);
        breaker.succeeded(endpoint);
        metrics.incTenant("pushed", call.getTenantId(), 1);
        out.get(WriteCallsToCrm.SYNCS).output(sync(call, kind, attempt)
            .setStatus(CrmSync.SYNCED).setExternalId(result.externalId()).setContactId(result.contactId())
            .setCreated(result.created()).build());
        return;
      } catch (SecretUnavailableException e) {
        fail(out, call, kind, ErrorCode.SECRET_UNAVAILABLE, e.getMessage(), attempt);
        return;
      } catch (RuntimeException e) {
        // A malformed URL in tenant config, an answer of an unexpected shape: this call fails, the job goes on.
        fail(out, call, kind, ErrorCode.CRM_WRITE_FAILED, "unexpected failure: " + DeadLetters.describe(e), attempt);
        return;
      } catch (CrmException e) {
        if (e.blockedUntil() != null) {
          breaker.block(endpoint, e.code(), e.getMessage(), e.blockedUntil());
        }
        Duration wait = e.retryAfter() != null ? e.retryAfter() : Duration.ofMillis(Math.max(0, backoff.nextBackOffMillis()));
        if (!e.isRetryable() || attempt >= spec.maxAttempts() || !budget.allows(wait)) {
          if (e.code() == ErrorCode.CRM_UNAVAILABLE) {
            breaker.failed(endpoint, spec.breakerThreshold(), spec.breakerCooldown());
          }
          fail(out, call, kind, e.code(), e.getMessage() + " (after " + attempt + " attempt(s), " + budget.requests()
              + " request(s))", attempt);
          return;
        }
        metrics.incTenant("retries", call.getTenantId(), 1);
        KeyValuesInMdc.forCall(LOG.atInfo(), call.getTenantId(), call.getCallId())
            .addKeyValue("stage", WriteCallsToCrm.STAGE).addKeyValue("crm", kind).addKeyValue("errorCode", e.code().name()).addKeyValue("attempt", attempt)
            .addKeyValue("waitMillis", wait.toMillis()).log("CRM push failed, will retry");
        waits.waitFor(wait, call.getTenantId(), "crm_retry");
      }
    }
  }

  private static CrmSync.Builder sync(CallRecord call, String kind, int attempts) {
    return CrmSync.builder().setTenantId(call.getTenantId()).setCallId(call.getCallId()).setCrm(kind)
        .setAttempts(attempts).setSyncedAt(Instant.now());
  }

  private void fail(MultiOutputReceiver out, CallRecord call, String kind, ErrorCode code, String message, int attempts) {
    String redacted = SecretRedactor.redact(message);
    metrics.incTenant("dead_letters", call.getTenantId(), 1);
    DeadLetter deadLetter = DeadLetters.of(WriteCallsToCrm.STAGE, code, redacted, call.getTenantId(),
        call.getSourceUri(), call.getCallId(), Math.max(1, attempts), encoder.typeName(), encoder.encode(call));
    KeyValuesInMdc.forDeadLetter(LOG.atWarn(), deadLetter).addKeyValue("crm", kind)
        .log("CRM push dead-lettered: {}", redacted);
    if (!"none".equals(kind)) {
      out.get(WriteCallsToCrm.SYNCS).output(sync(call, kind, attempts)
          .setStatus(CrmSync.FAILED).setErrorCode(code.name()).setLastError(redacted).build());
    }
    out.get(DeadLetters.TAG).output(deadLetter);
  }
}
