package dev.parley.it;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.hamcrest.Matchers.not;
import static org.junit.Assert.assertEquals;

import dev.parley.emulator.crm.HttpStandIn;
import dev.parley.emulator.crm.HubSpotStandIn;
import dev.parley.model.CallMetadata;
import dev.parley.model.CallRecord;
import dev.parley.model.CrmSync;
import dev.parley.model.DeadLetter;
import dev.parley.tenant.TenantConfigSpec;
import dev.parley.tools.SampleCalls;
import dev.parley.transforms.crm.WriteCallsToCrm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
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

/** The HubSpot client through the real CRM stage against a HubSpot stand-in. */
public class HubSpotCrmTest {
  private static final String TOKEN = "pat-na1-11111111-2222-3333-4444-555555555555";

  @Rule public final transient TestPipeline pipeline = TestPipeline.create();
  @Rule public final transient TemporaryFolder tmp = new TemporaryFolder();
  @Rule public final transient Timeout timeout = Timeout.seconds(60);

  private HubSpotStandIn hubspot;
  private TenantConfigSpec tenants;

  @Before
  public void start() throws Exception {
    hubspot = HubSpotStandIn.start(TOKEN, "parley_call_id");
    Path dir = tmp.newFolder("tenants").toPath();
    Files.writeString(dir.resolve("hubspot.token"), TOKEN);
    tenants = SinkFixtures.tenants(dir, "{kind: hubspot, callUrlTemplate: \"https://app.parley.example/calls/{tenantId}/{callId}\","
        + " hubspot: {accessToken: \"file://" + dir.resolve("hubspot.token") + "\", tier: starter, baseUrl: \"" + hubspot.baseUrl() + "\"}}",
        "{kind: none}");
  }

  @After
  public void stop() {
    hubspot.close();
  }

  private WithFailures.Result<PCollection<CrmSync>, DeadLetter> push(CallRecord... calls) {
    return pipeline.apply(Create.of(List.of(calls))).apply(WriteCallsToCrm.using(tenants)
        .withInitialBackoff(Duration.ofMillis(50)).withCallBudget(Duration.ofSeconds(20)));
  }

  private static CallRecord byPhoneOnly(String callId) {
    CallRecord call = SampleCalls.call("acme", callId, 2);
    return call.toBuilder().setMetadata(call.getMetadata().toBuilder().setParticipantEmails(List.of("nobody@else.example"))
        .setDirection(CallMetadata.OUTBOUND).setFromNumber("+14155559876").setToNumber("+1 (212) 555-0199").build()).build();
  }

  @Test
  public void logsEachCallOnceOnItsContactAndUpdatesItOnRedelivery() throws Exception {
    String byEmail = hubspot.addContact("pat@customer.example", null, null);
    String byPhone = hubspot.addContact("sam@other.example", "(212) 555-0199", null);
    CallRecord c1 = SampleCalls.call("acme", "c1", 3);
    WithFailures.Result<PCollection<CrmSync>, DeadLetter> result = push(c1, byPhoneOnly("c2"), c1,
        SampleCalls.call("globex", "g1", 1));
    PAssert.that(result.failures()).empty();
    PAssert.that(result.output()).satisfies(syncs -> {
      List<CrmSync> all = StreamSupport.stream(syncs.spliterator(), false).toList();
      assertEquals("globex has no CRM: no row", 3, all.size());
      assertThat(all, everyItem(org.hamcrest.Matchers.hasProperty("status", org.hamcrest.Matchers.equalTo(CrmSync.SYNCED))));
      assertEquals("created once per call", 2, all.stream().filter(CrmSync::getCreated).count());
      return null;
    });
    pipeline.run().waitUntilFinish();

    Map<String, HubSpotStandIn.StoredCall> calls = hubspot.calls().stream()
        .collect(Collectors.toMap(c -> c.properties().get("parley_call_id"), c -> c));
    assertEquals("a redelivered call never creates a second call object", 2, calls.size());
    HubSpotStandIn.StoredCall first = calls.get("c1");
    assertEquals(List.of(byEmail), first.contactIds());
    assertEquals(List.of(194), first.associationTypes());
    assertEquals(List.of(byPhone), calls.get("c2").contactIds());
    Map<String, String> properties = first.properties();
    assertEquals("6000", properties.get("hs_call_duration"));
    assertEquals("INBOUND", properties.get("hs_call_direction"));
    assertEquals("COMPLETED", properties.get("hs_call_status"));
    assertEquals("+14155550123", properties.get("hs_call_from_number"));
    assertEquals("+14155559876", properties.get("hs_call_to_number"));
    assertEquals("2026-11-25T10:15:00Z", properties.get("hs_timestamp"));
    assertThat(properties.get("hs_call_body"), allOf(containsString("Pat asked for a quote"),
        containsString("Agent: turn 0 of call c1"), containsString("https://app.parley.example/calls/acme/c1")));
    for (HttpStandIn.Request request : hubspot.requests()) {
      assertEquals("Bearer " + TOKEN, request.header("Authorization"));
    }
  }

  @Test
  public void waitsOutTheTenSecondlyLimit() throws Exception {
    hubspot.script("/crm", HubSpotStandIn.tenSecondly());
    WithFailures.Result<PCollection<CrmSync>, DeadLetter> result = push(SampleCalls.call("acme", "c1", 1));
    PAssert.that(result.failures()).empty();
    PAssert.thatSingleton(result.output()).satisfies(sync -> {
      assertEquals(CrmSync.SYNCED, sync.getStatus());
      assertEquals("throttled once, then through", 2, sync.getAttempts());
      return null;
    });
    long started = System.nanoTime();
    pipeline.run().waitUntilFinish();
    assertThat(hubspot.calls(), hasSize(1));
    assertThat("waited about a second before trying again", (System.nanoTime() - started) / 1_000_000,
        org.hamcrest.Matchers.greaterThanOrEqualTo(1000L));
  }

  @Test
  public void deadLettersCallsOnceTheDailyLimitIsSpentWithoutTryingAgain() throws Exception {
    hubspot.script("/crm", HubSpotStandIn.daily(), HubSpotStandIn.daily());
    WithFailures.Result<PCollection<CrmSync>, DeadLetter> result = push(
        SampleCalls.call("acme", "c1", 1), SampleCalls.call("acme", "c2", 1));
    PAssert.that(result.failures()).satisfies(letters -> {
      List<DeadLetter> all = StreamSupport.stream(letters.spliterator(), false).toList();
      assertThat(all, hasSize(2));
      for (DeadLetter letter : all) {
        assertEquals("CRM_DAILY_LIMIT_REACHED", letter.getErrorCode());
        assertEquals("PushToCrm", letter.getStage());
        assertEquals("acme", letter.getTenantId());
        assertThat(letter.getMessage(), containsString("daily"));
        assertThat(letter.getMessage() + letter.getPayload(), not(containsString(TOKEN)));
      }
      return null;
    });
    PAssert.that(result.output()).satisfies(syncs -> {
      syncs.forEach(sync -> assertEquals(CrmSync.FAILED, sync.getStatus()));
      return null;
    });
    pipeline.run().waitUntilFinish();
    assertThat(hubspot.calls(), hasSize(0));
    assertThat("no request after the daily limit answered", hubspot.requests().size(), lessThanOrEqualTo(2));
  }
}
