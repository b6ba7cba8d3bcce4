package dev.parley.it;

import static dev.parley.emulator.calendar.ScheduledEvent.person;
import static dev.parley.it.CalendarFixture.DANA;
import static dev.parley.it.CalendarFixture.LEE;
import static dev.parley.it.CalendarFixture.TEN;
import static dev.parley.it.CalendarFixture.callOf;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.greaterThan;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;

import dev.parley.emulator.calendar.CalendarStandIn;
import dev.parley.emulator.calendar.ScheduledEvent;
import dev.parley.model.CalendarMatch;
import dev.parley.model.CallRecord;
import dev.parley.model.DeadLetter;
import dev.parley.tools.SampleCalls;
import dev.parley.transforms.EnrichFromCalendar;
import dev.parley.transforms.calendar.CalendarEndpoints;
import dev.parley.transforms.calendar.LookupPolicy;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.WithFailures;
import org.apache.beam.sdk.values.PCollection;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.junit.rules.Timeout;

/** The EnrichFromCalendar stage on the DirectRunner against the Calendar stand-in. */
public class EnrichFromCalendarTest {
  @Rule public final transient TestPipeline pipeline = TestPipeline.create();
  @Rule public final transient TemporaryFolder tmp = new TemporaryFolder();
  @Rule public final transient Timeout timeout = Timeout.seconds(60);

  private CalendarFixture fixture;

  @Before
  public void start() throws Exception {
    fixture = CalendarFixture.start(tmp.getRoot().toPath());
  }

  @After
  public void stop() {
    fixture.standIn.close();
  }

  @Test
  public void everyCallGoesOnWithItsMeetingOrTheReasonItHasNoneAndOtherTenantsCallsPassUnchanged() throws Exception {
    CalendarStandIn calendar = fixture.standIn;
    calendar.addEvent(DANA, ScheduledEvent.timed("quote", "Quote review", TEN, TEN.plus(Duration.ofMinutes(30)))
        .with(person("pat@customer.example", "Pat", "accepted")));
    calendar.addEvent(LEE, ScheduledEvent.timed("renewal", "Renewal", TEN, TEN.plus(Duration.ofHours(1))));
    calendar.script(CalendarStandIn.EVENTS_PATH + DANA, CalendarStandIn.rateLimitExceeded());

    WithFailures.Result<PCollection<CallRecord>, DeadLetter> result = pipeline
        .apply(Create.of(List.of(callOf("acme", "c1", DANA, TEN.plusSeconds(300)), SampleCalls.call("acme", "c2", 2),
            callOf("globex", "g1", LEE, TEN.plusSeconds(60)), SampleCalls.call("plain", "p1", 2))))
        .apply(EnrichFromCalendar.using(fixture.tenants, CalendarEndpoints.googleDefault().withBaseUrl(calendar.baseUrl()))
            .withPolicy(new LookupPolicy(3, Duration.ofMillis(200), Duration.ofSeconds(5), Duration.ofSeconds(20))));

    PAssert.that(result.failures()).empty();
    PAssert.that(result.output()).satisfies(calls -> {
      Map<String, CallRecord> byId = StreamSupport.stream(calls.spliterator(), false)
          .collect(Collectors.toMap(CallRecord::getCallId, c -> c));
      assertEquals(4, byId.size());
      CalendarMatch c1 = byId.get("c1").getCalendar();
      assertEquals(CalendarMatch.MATCHED, c1.getStatus());
      assertEquals("Quote review", c1.getTitle());
      assertEquals("pat@customer.example", c1.getAttendees().get(0).getEmail());
      assertEquals("NO_AGENT", byId.get("c2").getCalendar().getReason());
      assertEquals("renewal", byId.get("g1").getCalendar().getEventId());
      assertNull("a tenant without calendar enrichment", byId.get("p1").getCalendar());
      assertEquals("passed unchanged", SampleCalls.call("plain", "p1", 2), byId.get("p1"));
      assertEquals(byId.get("c1").getTranscript(), SampleCalls.call("acme", "c1", 2).getTranscript());
      return null;
    });
    PipelineResult run = pipeline.run();
    run.waitUntilFinish();

    assertEquals(1, counter(run, "parley.EnrichFromCalendar", "matched/acme"));
    assertEquals(1, counter(run, "parley.EnrichFromCalendar", "missing_no_agent/acme"));
    assertEquals(1, counter(run, "parley.EnrichFromCalendar", "matched/globex"));
    assertEquals("the 403 was retried once", 1, counter(run, "parley.EnrichFromCalendar", "retries/acme"));
    assertThat(counter(run, "parley.EnrichFromCalendar", "calendar_retry_wait_ms/acme"), greaterThan(0L));
    assertThat("the backoff counts as throttling time",
        counter(run, Metrics.THROTTLE_TIME_NAMESPACE, Metrics.THROTTLE_TIME_COUNTER_NAME), greaterThan(0L));
  }

  private static long counter(PipelineResult result, String namespace, String name) {
    return result.metrics().queryMetrics(MetricsFilter.builder().addNameFilter(MetricNameFilter.named(namespace, name))
        .build()).getCounters().iterator().next().getAttempted();
  }
}
