package dev.parley.transforms;

import com.google.auto.value.AutoValue;
import dev.parley.model.CallRecord;
import dev.parley.model.DeadLetter;
import dev.parley.tenant.ReloadingTenantRegistry;
import dev.parley.tenant.TenantConfig;
import dev.parley.tenant.TenantConfigSpec;
import dev.parley.transforms.calendar.CalendarEndpoints;
import dev.parley.transforms.calendar.CalendarEnrichment;
import dev.parley.transforms.calendar.LookupPolicy;
import dev.parley.transforms.metrics.StageMetrics;
import java.util.Optional;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.WithFailures;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptor;

/**
 * Between transcription and the sinks: each call of a tenant with {@code calendar.enabled} gets the meeting it
 * belongs to in its agent's Google Calendar ({@link CallRecord#getCalendar}), whose title and attendees the store
 * keeps and the CRM push uses; other tenants' calls pass unchanged. A lookup that fails or finds nothing marks the
 * call's match missing with a reason and lets the call go on, so the failure output, there for the same shape as
 * every stage, stays empty: enrichment improves a call, it never decides whether it is stored.
 */
@AutoValue
public abstract class EnrichFromCalendar
    extends PTransform<PCollection<CallRecord>, WithFailures.Result<PCollection<CallRecord>, DeadLetter>> {
  static final String STAGE = "EnrichFromCalendar";

  abstract TenantConfigSpec tenants();

  abstract CalendarEndpoints endpoints();

  abstract LookupPolicy policy();

  public static EnrichFromCalendar using(TenantConfigSpec tenants, CalendarEndpoints endpoints) {
    return new AutoValue_EnrichFromCalendar(tenants, endpoints, LookupPolicy.DEFAULT);
  }

  /** Retries, timeouts and the budget of each call's lookup. */
  public EnrichFromCalendar withPolicy(LookupPolicy policy) {
    return new AutoValue_EnrichFromCalendar(tenants(), endpoints(), policy);
  }

  @Override
  public WithFailures.Result<PCollection<CallRecord>, DeadLetter> expand(PCollection<CallRecord> calls) {
    PCollection<CallRecord> enriched = calls.apply("MatchMeetings", ParDo.of(new MatchMeetingFn(this)))
        .setCoder(calls.getCoder());
    PCollection<DeadLetter> none = calls.getPipeline()
        .apply("NoCalendarFailures", Create.empty(TypeDescriptor.of(DeadLetter.class)));
    return WithFailures.Result.of(enriched, none);
  }

  static final class MatchMeetingFn extends DoFn<CallRecord, CallRecord> {
    private final EnrichFromCalendar spec;
    private final StageMetrics metrics = new StageMetrics(STAGE);
    private transient ReloadingTenantRegistry registry;
    private transient CalendarEnrichment enrichment;

    MatchMeetingFn(EnrichFromCalendar spec) {
      this.spec = spec;
    }

    @Setup
    public void setup() throws Exception {
      registry = spec.tenants().open();
      enrichment = new CalendarEnrichment(spec.endpoints(), spec.policy(), metrics);
    }

    @Teardown
    public void teardown() {
      if (enrichment != null) {
        enrichment.close();
      }
    }

    @ProcessElement
    public void process(@Element CallRecord call, OutputReceiver<CallRecord> out) throws InterruptedException {
      Optional<TenantConfig> tenant = registry.current().find(call.getTenantId());
      if (tenant.isEmpty() || !tenant.get().calendarEnabled()) {
        out.output(call);
        return;
      }
      out.output(call.toBuilder().setCalendar(enrichment.match(tenant.get(), call)).build());
    }
  }
}
