package dev.parley.it;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import dev.parley.emulator.crm.HttpStandIn;
import dev.parley.emulator.crm.SalesforceStandIn;
import dev.parley.model.CallRecord;
import dev.parley.model.CrmSync;
import dev.parley.model.DeadLetter;
import dev.parley.tenant.TenantConfigSpec;
import dev.parley.tools.SampleCalls;
import dev.parley.transforms.crm.WriteCallsToCrm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
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

/**
 * The Salesforce client through the real CRM stage against a Salesforce stand-in: acme with the client-credentials
 * flow, globex with the JWT bearer flow.
 */
public class SalesforceCrmTest {
  private static final String SECRET = "sf-client-secret-0123456789abcdef";
  private static final String FIELD = "Parley_Call_Id__c";

  @Rule public final transient TestPipeline pipeline = TestPipeline.create();
  @Rule public final transient TemporaryFolder tmp = new TemporaryFolder();
  @Rule public final transient Timeout timeout = Timeout.seconds(60);

  private SalesforceStandIn salesforce;
  private TenantConfigSpec tenants;

  @Before
  public void start() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    KeyPair keys = generator.generateKeyPair();
    salesforce = SalesforceStandIn.start("3MVG9parleyTest", SECRET, keys.getPublic(), "integration@globex.example");
    Path dir = tmp.newFolder("tenants").toPath();
    Files.writeString(dir.resolve("sf.secret"), SECRET);
    Files.writeString(dir.resolve("sf.pem"), "-----BEGIN PRIVATE KEY-----\n"
        + Base64.getMimeEncoder().encodeToString(keys.getPrivate().getEncoded()) + "\n-----END PRIVATE KEY-----\n");
    String common = "instanceUrl: \"" + salesforce.baseUrl() + "\", apiVersion: v62.0, clientId: 3MVG9parleyTest, externalIdField: " + FIELD;
    tenants = SinkFixtures.tenants(dir,
        "{kind: salesforce, salesforce: {" + common + ", auth: client-credentials, clientSecret: \"file://" + dir.resolve("sf.secret") + "\"}}",
        "{kind: salesforce, salesforce: {" + common + ", auth: jwt-bearer, username: integration@globex.example,"
            + " privateKey: \"file://" + dir.resolve("sf.pem") + "\"}}");
  }

  @After
  public void stop() {
    salesforce.close();
  }

  private WithFailures.Result<PCollection<CrmSync>, DeadLetter> push(CallRecord... calls) {
    return pipeline.apply(Create.of(List.of(calls))).apply(WriteCallsToCrm.using(tenants)
        .withInitialBackoff(Duration.ofMillis(50)).withCallBudget(Duration.ofSeconds(20)));
  }

  @Test
  public void upsertsOneTaskPerCallOnItsContactOrLeadWithBothAuthFlows() throws Exception {
    String contact = salesforce.addPerson("Contact", "pat@customer.example", null);
    String lead = salesforce.addPerson("Lead", "lee@prospect.example", "(415) 555-0123");
    CallRecord c1 = SampleCalls.call("acme", "c1", 3);
    CallRecord g1 = SampleCalls.call("globex", "g1", 1);
    g1 = g1.toBuilder().setMetadata(g1.getMetadata().toBuilder().setParticipantEmails(List.of()).build()).build();
    WithFailures.Result<PCollection<CrmSync>, DeadLetter> result = push(c1, g1, c1);
    PAssert.that(result.failures()).empty();
    PAssert.that(result.output()).satisfies(syncs -> {
      syncs.forEach(sync -> assertEquals(CrmSync.SYNCED, sync.getStatus()));
      return null;
    });
    pipeline.run().waitUntilFinish();

    Map<String, SalesforceStandIn.Task> tasks = salesforce.tasks().stream()
        .collect(Collectors.toMap(SalesforceStandIn.Task::externalId, t -> t));
    assertEquals("a redelivered call updates its Task", 2, tasks.size());
    Map<String, String> task = tasks.get("c1").fields();
    assertEquals(contact, task.get("WhoId"));
    assertEquals("Call", task.get("TaskSubtype"));
    assertEquals("6", task.get("CallDurationInSeconds"));
    assertEquals("Inbound", task.get("CallType"));
    assertEquals("2026-11-25", task.get("ActivityDate"));
    assertThat(task.get("Subject"), containsString("+14155550123"));
    assertThat(task.get("Description"), allOf(containsString("Pat asked for a quote"), containsString("gs://drop/acme/c1.wav")));
    assertEquals("found by phone when no email matches", lead, tasks.get("g1").fields().get("WhoId"));

    List<HttpStandIn.Request> upserts = salesforce.requests("PATCH", "/services/data/v62.0/sobjects/Task/" + FIELD + "/");
    assertTrue("the update of an existing Task leaves TaskSubtype out",
        upserts.stream().anyMatch(r -> !r.body().contains("TaskSubtype")));
    List<HttpStandIn.Request> tokens = salesforce.requests("POST", "/services/oauth2/token");
    assertTrue(tokens.stream().anyMatch(r -> r.body().contains("grant_type=client_credentials")));
    assertTrue(tokens.stream().anyMatch(r -> r.body().contains("jwt-bearer") && r.body().contains("assertion=")));
    assertThat("the secret travels only to the token endpoint", salesforce.requests("PATCH", "/").stream()
        .map(HttpStandIn.Request::body).collect(Collectors.joining()), not(containsString(SECRET)));
  }

  @Test
  public void refreshesAnExpiredTokenOnce() throws Exception {
    salesforce.expireNextToken();
    WithFailures.Result<PCollection<CrmSync>, DeadLetter> result = push(SampleCalls.call("acme", "c1", 1));
    PAssert.that(result.failures()).empty();
    pipeline.run().waitUntilFinish();
    assertThat(salesforce.requests("POST", "/services/oauth2/token"), hasSize(2));
    assertThat(salesforce.tasks(), hasSize(1));
  }

  @Test
  public void deadLettersACallWhoseExternalIdSeveralTasksHold() throws Exception {
    salesforce.addTask(FIELD, "dup");
    salesforce.addTask(FIELD, "dup");
    PAssert.thatSingleton(push(SampleCalls.call("acme", "dup", 1)).failures()).satisfies(letter -> {
      assertEquals("CRM_AMBIGUOUS_MATCH", letter.getErrorCode());
      assertThat(letter.getMessage(), containsString(FIELD + " = dup"));
      return null;
    });
    pipeline.run().waitUntilFinish();
  }

  @Test
  public void deadLettersCallsOnceTheOrgsRequestLimitIsSpent() throws Exception {
    salesforce.script("/services/data/v62.0/query", SalesforceStandIn.requestLimitExceeded());
    WithFailures.Result<PCollection<CrmSync>, DeadLetter> result = push(SampleCalls.call("acme", "c1", 1));
    PAssert.thatSingleton(result.failures()).satisfies(letter -> {
      assertEquals("CRM_DAILY_LIMIT_REACHED", letter.getErrorCode());
      assertThat(letter.getMessage(), containsString("REQUEST_LIMIT_EXCEEDED"));
      assertThat(letter.getMessage() + letter.getPayload(), not(containsString(SECRET)));
      return null;
    });
    PAssert.thatSingleton(result.output()).satisfies(sync -> {
      assertEquals(CrmSync.FAILED, sync.getStatus());
      assertEquals("CRM_DAILY_LIMIT_REACHED", sync.getErrorCode());
      return null;
    });
    pipeline.run().waitUntilFinish();
    assertThat(salesforce.tasks(), hasSize(0));
  }
}
