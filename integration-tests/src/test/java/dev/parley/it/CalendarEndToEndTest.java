package dev.parley.it;

import static dev.parley.emulator.calendar.ScheduledEvent.person;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.emulator.calendar.CalendarStandIn;
import dev.parley.emulator.calendar.ScheduledEvent;
import dev.parley.emulator.crm.HubSpotStandIn;
import dev.parley.pipeline.IngestOptions;
import dev.parley.pipeline.IngestPipeline;
import dev.parley.tools.SampleAudio;
import dev.parley.tools.StoreContents;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The ingest job with calendar enrichment for acme-sales: a recording whose sidecar names the agent and the start is
 * matched to the agent's meeting through the Calendar stand-in ({@code --calendarEndpoint}), stored with the meeting
 * and its attendees, and pushed to HubSpot on the attendee's contact under the meeting's title; one without an agent
 * is stored with the enrichment marked missing; the other tenants' calls have none.
 */
public class CalendarEndToEndTest {
  private static final String TOKEN = "pat-na1-12121212-3434-5656-7878-909090909090";
  private static final String AGENT = CalendarFixture.DANA;

  @Rule public TemporaryFolder tmp = new TemporaryFolder();
  @Rule public GeminiEmulatorRule gemini = new GeminiEmulatorRule();

  @Test
  public void storesEachCallWithItsMeetingAndPushesItToTheAttendeesContact() throws Exception {
    Path drop = tmp.newFolder("drop").toPath();
    Path out = tmp.newFolder("out").toPath();
    Path tenantDir = tmp.newFolder("tenants").toPath();
    Files.createDirectories(drop.resolve("acme-sales/2026-11-25"));
    Files.createDirectories(drop.resolve("initech"));
    Files.write(drop.resolve("acme-sales/2026-11-25/with-agent.wav"), SampleAudio.wav(2, 8000, 1, 1));
    Files.writeString(drop.resolve("acme-sales/2026-11-25/with-agent.wav.json"), """
        {"call": {"agent": "%s", "startTime": "2026-11-25T10:04:00Z", "direction": "inbound",
                  "fromNumber": "+14155550123"}}""".formatted(AGENT));
    Files.write(drop.resolve("acme-sales/2026-11-25/without-agent.wav"), SampleAudio.wav(2, 8000, 1, 2));
    Files.write(drop.resolve("initech/call.wav"), SampleAudio.wav(2, 8000, 1, 3));
    Files.writeString(tenantDir.resolve("hubspot.token"), TOKEN);

    try (CalendarStandIn calendar = CalendarStandIn.start(); HubSpotStandIn hubspot = HubSpotStandIn.start(TOKEN, "parley_call_id")) {
      CalendarFixture.serviceAccountKey(tenantDir, calendar);
      calendar.addEvent(AGENT, ScheduledEvent.timed("kickoff", "Kickoff with Customer Co",
              Instant.parse("2026-11-25T10:00:00Z"), Instant.parse("2026-11-25T10:45:00Z"))
          .organizedBy(AGENT, "Dana").with(person(AGENT, "Dana", "accepted"), person("pat.buyer@customer.example", "Pat", "accepted")));
      String attendee = hubspot.addContact("pat.buyer@customer.example", null, null);
      hubspot.addContact("switchboard@customer.example", "+14155550123", null);
      Path overlay = tenantDir.resolve("calendar-overlay.yaml");
      Files.writeString(overlay, """
          tenants:
            acme-sales:
              calendar: {enabled: true, auth: service-account, serviceAccountKey: "file://%1$s/calendar-key.json"}
              crm: {kind: hubspot, hubspot: {accessToken: "file://%1$s/hubspot.token", baseUrl: "%2$s"}}
            globex-support: {crm: {kind: none}}
            initech: {crm: {kind: none}}
          """.formatted(tenantDir, hubspot.baseUrl()));
      IngestOptions options = PipelineOptionsFactory.fromArgs(
          "--tenantConfig=" + LocalTenants.write(tenantDir) + "," + overlay, "--dropFolder=" + drop,
          "--outputDir=" + out, "--geminiEndpoint=" + gemini.baseUrl(), "--calendarEndpoint=" + calendar.baseUrl(),
          "--pushToCrm=true", "--runId=test").as(IngestOptions.class);
      assertEquals(PipelineResult.State.DONE, IngestPipeline.create(options).run().waitUntilFinish());

      StoreContents store = StoreContents.read(out);
      assertThat(store.deadLetters(), empty());
      Map<String, String> callIds = store.calls().stream().collect(Collectors.toMap(
          c -> Path.of(c.get("SourceUri").asText()).getFileName().toString(), c -> c.get("CallId").asText()));
      Map<String, JsonNode> matches = store.calendarMatches().stream()
          .collect(Collectors.toMap(m -> m.get("CallId").asText(), m -> m));
      assertEquals("only acme-sales enriches its calls", 2, matches.size());
      assertFalse(matches.containsKey(callIds.get("call.wav")));

      JsonNode matched = matches.get(callIds.get("with-agent.wav"));
      assertEquals("MATCHED", matched.get("Status").asText());
      assertEquals("Kickoff with Customer Co", matched.get("Title").asText());
      assertEquals("kickoff", matched.get("EventId").asText());
      assertEquals(AGENT, matched.get("CalendarId").asText());
      assertEquals("2026-11-25T10:04:00.000Z", matched.get("CallStartTime").asText());
      assertEquals(1, matched.get("ExternalAttendeeCount").asInt());
      List<String> attendees = store.calendarAttendees().stream()
          .filter(a -> a.get("CallId").asText().equals(callIds.get("with-agent.wav")))
          .sorted(Comparator.comparingLong(a -> a.get("AttendeeIndex").asLong())) // files hold rows in no set order
          .map(a -> a.get("Email").asText() + (a.get("External").asBoolean() ? " (external)" : "")).toList();
      assertEquals(List.of(AGENT, "pat.buyer@customer.example (external)"), attendees);

      JsonNode missing = matches.get(callIds.get("without-agent.wav"));
      assertEquals("MISSING", missing.get("Status").asText());
      assertEquals("NO_AGENT", missing.get("Reason").asText());
      assertTrue(missing.get("EventId").isNull());

      Map<String, HubSpotStandIn.StoredCall> pushed = hubspot.calls().stream()
          .collect(Collectors.toMap(c -> c.properties().get("parley_call_id"), c -> c));
      HubSpotStandIn.StoredCall withAgent = pushed.get(callIds.get("with-agent.wav"));
      assertEquals(List.of(attendee), withAgent.contactIds());
      assertEquals("Kickoff with Customer Co (Parley)", withAgent.properties().get("hs_call_title"));
      assertEquals(2, pushed.size());
      assertEquals(List.of(AGENT), calendar.grants().stream().map(CalendarStandIn.Grant::user).distinct().toList());
    }
  }
}
