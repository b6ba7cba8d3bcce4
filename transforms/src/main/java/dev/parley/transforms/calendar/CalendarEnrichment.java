package dev.parley.transforms.calendar;

import dev.parley.model.CalendarMatch;
import dev.parley.model.CalendarMissReason;
import dev.parley.model.CallMetadata;
import dev.parley.model.CallRecord;
import dev.parley.tenant.SecretRedactor;
import dev.parley.tenant.SecretResolver;
import dev.parley.tenant.TenantConfig;
import dev.parley.transforms.deadletter.DeadLetters;
import dev.parley.transforms.logging.KeyValuesInMdc;
import dev.parley.transforms.metrics.StageMetrics;
import dev.parley.transforms.ratelimit.LocalRateLimiter;
import java.time.Duration;
import java.util.Locale;
import org.joda.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the meeting of one call of a tenant with calendar enrichment, on a worker: the agent's calendar (from the
 * call's metadata and the tenant's template), the events around the call's start ({@link CalendarLookup}), and the
 * one the call belongs to ({@link MeetingMatcher}). It never fails a call: a failed lookup is a
 * {@link CalendarMatch#MISSING} match with its reason, counted per tenant ({@code missing} and
 * {@code missing_<reason>}) next to {@code matched} and {@code ambiguous_resolved}.
 */
public final class CalendarEnrichment implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(CalendarEnrichment.class);

  private final SecretResolver secrets = new SecretResolver();
  private final CalendarLookup lookup;
  private final StageMetrics metrics;

  public CalendarEnrichment(CalendarEndpoints endpoints, LookupPolicy policy, StageMetrics metrics) {
    this.metrics = metrics;
    this.lookup = new CalendarLookup(endpoints, new CalendarCredentials(secrets, endpoints), LocalRateLimiter.shared(),
        metrics, policy);
  }

  /** The call's meeting in its agent's calendar, or why there is none. */
  public CalendarMatch match(TenantConfig tenant, CallRecord call) throws InterruptedException {
    CalendarMatch match = find(tenant, call);
    String outcome = match.getStatus().toLowerCase(Locale.ROOT);
    metrics.incTenant(outcome, call.getTenantId(), 1);
    if (!match.hasMeeting()) {
      metrics.incTenant(outcome + "_" + match.getReason().toLowerCase(Locale.ROOT), call.getTenantId(), 1);
    }
    KeyValuesInMdc.forCall(LOG.atDebug(), call.getTenantId(), call.getCallId())
        .addKeyValue("calendarStatus", match.getStatus()).addKeyValue("reason", match.getReason())
        .addKeyValue("decidedBy", match.getDecidedBy()).addKeyValue("candidates", match.getCandidateCount())
        .log("calendar enrichment");
    return match;
  }

  private CalendarMatch find(TenantConfig tenant, CallRecord call) throws InterruptedException {
    Instant start = callStart(call);
    CallMetadata metadata = call.getMetadata();
    if (metadata == null || metadata.getAgent() == null || metadata.getAgent().isBlank()) {
      return CalendarMatch.missing(CalendarMissReason.NO_AGENT, null, null, start);
    }
    TenantConfig.Calendar settings = tenant.calendar();
    String calendarId = settings.calendarIdFor(metadata.getAgent());
    try {
      return MeetingMatcher.match(lookup.eventsAround(tenant, calendarId, start), calendarId, start,
          Duration.ofMinutes(settings.windowMinutesOrDefault()), settings.internalDomainsOf(calendarId));
    } catch (CalendarLookupException e) {
      return missing(call, e.reason(), e.getMessage(), calendarId, start);
    } catch (RuntimeException e) {
      // An answer of an unexpected shape, a template that makes no calendar id: this call goes without its meeting.
      return missing(call, CalendarMissReason.INTERNAL, DeadLetters.describe(e), calendarId, start);
    }
  }

  private static CalendarMatch missing(CallRecord call, CalendarMissReason reason, String detail, String calendarId,
      Instant start) {
    String redacted = SecretRedactor.redact(detail);
    KeyValuesInMdc.forCall(LOG.atWarn(), call.getTenantId(), call.getCallId())
        .addKeyValue("reason", reason.name()).log("calendar lookup failed, the call goes on without its meeting: {}",
            redacted);
    return CalendarMatch.missing(reason, redacted, calendarId, start);
  }

  /** When the call started: as its metadata says, else the recording's arrival less its length. */
  static Instant callStart(CallRecord call) {
    CallMetadata metadata = call.getMetadata();
    if (metadata != null && metadata.getStartTime() != null) {
      return metadata.getStartTime();
    }
    long length = call.getRawAudioMillis() != null ? call.getRawAudioMillis() : call.getAudio().getDurationMillis();
    return call.getArrivedAt().minus(length);
  }

  @Override
  public void close() {
    secrets.close();
  }
}
