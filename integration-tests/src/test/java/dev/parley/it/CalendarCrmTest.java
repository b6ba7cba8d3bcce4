package dev.parley.it;

import static org.junit.Assert.assertEquals;

import dev.parley.emulator.crm.HubSpotStandIn;
import dev.parley.emulator.crm.SalesforceStandIn;
import dev.parley.model.CallRecord;
import dev.parley.model.CrmSync;
import dev.parley.model.DeadLetter;
import dev.parley.tenant.TenantConfigSpec;
import dev.parley.tools.SampleCalls;
import dev.parley.transforms.crm.WriteCallsToCrm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.PCollection;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.junit.rules.Timeout;

/**
 * The CRM push of calls matched to a meeting: the meeting's external attendee is the contact even where the phone
 * number names another, a colleague on the invitation is not, and the meeting's title is the call's.
 */
public class CalendarCrmTest {
  private static final String HUBSPOT_TOKEN = "pat-na1-99999999-8888-7777-6666-555555555555";
  private static final String SF_SECRET = "sf-client-secret-calendar-0123456789";
  private static final String ATTENDEE = SampleCalls.ATTENDEE;
  private static final String CUSTOMER_PHONE = "(415) 555-0123"; // SampleCalls' caller, +14155550123, as typed

  @Rule public final transient TestPipeline pipeline = TestPipeline.create();
  @Rule public final transient TemporaryFolder tmp = new TemporaryFolder();
  @Rule public final transient Timeout timeout = Timeout.seconds(60);

  /** Sample call c1 without participant emails, in a meeting with a colleague and one external attendee. */
  private static CallRecord inMeeting() {
    CallRecord call = SampleCalls.inMeeting("acme", "c1", 2);
    return call.toBuilder().setMetadata(call.getMetadata().toBuilder().setParticipantEmails(null).build()).build();
  }

  /** The same caller without a meeting. */
  private static CallRecord byPhone() {
    CallRecord call = SampleCalls.call("acme", "c2", 2);
    return call.toBuilder().setMetadata(call.getMetadata().toBuilder().setParticipantEmails(null).build()).build();
  }

  private PCollection<DeadLetter> push(TenantConfigSpec tenants) {
    return pipeline.apply(Create.of(List.of(inMeeting(), byPhone())))
        .apply(WriteCallsToCrm.using(tenants).withInitialBackoff(Duration.ofMillis(50)).withCallBudget(Duration.ofSeconds(20)))
        .failures();
  }

  @Test
  public void hubSpotLinksTheMeetingsExternalAttendeeAndTitlesTheCallAfterTheMeeting() throws Exception {
    try (HubSpotStandIn hubspot = HubSpotStandIn.start(HUBSPOT_TOKEN, "parley_call_id")) {
      String attendee = hubspot.addContact(ATTENDEE, null, null);
      String caller = hubspot.addContact("front-desk@customer.example", CUSTOMER_PHONE, null);
      hubspot.addContact(SampleCalls.AGENT, null, null); // A colleague kept as a contact: never the customer.
      Path dir = tmp.newFolder("tenants").toPath();
      Files.writeString(dir.resolve("hubspot.token"), HUBSPOT_TOKEN);
      PAssert.that(push(SinkFixtures.tenants(dir, "{kind: hubspot, hubspot: {accessToken: \"file://"
          + dir.resolve("hubspot.token") + "\", baseUrl: \"" + hubspot.baseUrl() + "\"}}", "{kind: none}"))).empty();
      pipeline.run().waitUntilFinish();

      Map<String, HubSpotStandIn.StoredCall> calls = hubspot.calls().stream()
          .collect(Collectors.toMap(c -> c.properties().get("parley_call_id"), c -> c));
      assertEquals("the attendee, not the number's contact", List.of(attendee), calls.get("c1").contactIds());
      assertEquals(SampleCalls.MEETING_TITLE + " (Parley)", calls.get("c1").properties().get("hs_call_title"));
      assertEquals("without a meeting, the number decides", List.of(caller), calls.get("c2").contactIds());
      assertEquals("Inbound call with +14155550123 (Parley)", calls.get("c2").properties().get("hs_call_title"));
    }
  }

  @Test
  public void salesforceTakesTheAttendeesLeadOverTheCallersContact() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(1024);
    try (SalesforceStandIn salesforce = SalesforceStandIn.start("3MVG9calendarTest", SF_SECRET,
        generator.generateKeyPair().getPublic(), "integration@acme.example")) {
      String lead = salesforce.addPerson("Lead", ATTENDEE, null);
      String contact = salesforce.addPerson("Contact", "front-desk@customer.example", CUSTOMER_PHONE);
      Path dir = tmp.newFolder("tenants").toPath();
      Files.writeString(dir.resolve("sf.secret"), SF_SECRET);
      PAssert.that(push(SinkFixtures.tenants(dir, "{kind: salesforce, salesforce: {instanceUrl: \"" + salesforce.baseUrl()
          + "\", clientId: 3MVG9calendarTest, externalIdField: Parley_Call_Id__c, auth: client-credentials,"
          + " clientSecret: \"file://" + dir.resolve("sf.secret") + "\"}}", "{kind: none}"))).empty();
      pipeline.run().waitUntilFinish();

      Map<String, Map<String, String>> tasks = salesforce.tasks().stream()
          .collect(Collectors.toMap(SalesforceStandIn.Task::externalId, SalesforceStandIn.Task::fields));
      assertEquals("an email names the person: the Lead wins over the number's Contact", lead, tasks.get("c1").get("WhoId"));
      assertEquals(SampleCalls.MEETING_TITLE + " (Parley)", tasks.get("c1").get("Subject"));
      assertEquals(contact, tasks.get("c2").get("WhoId"));
    }
  }
}
