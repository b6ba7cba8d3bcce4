package dev.parley.it;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.either;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.not;
import static org.junit.Assert.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.emulator.crm.HttpStandIn;
import dev.parley.emulator.crm.WebhookReceiver;
import dev.parley.model.CallRecord;
import dev.parley.model.CrmSync;
import dev.parley.model.DeadLetter;
import dev.parley.tenant.TenantConfigSpec;
import dev.parley.tools.SampleCalls;
import dev.parley.transforms.crm.WriteCallsToCrm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
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
 * Signed webhooks through the real CRM stage against two receivers that verify every signature with the
 * standardwebhooks library: acme's and globex's, so one tenant's failing endpoint can be watched beside a healthy one.
 */
public class WebhookCrmTest {
  private static final String ACME_SECRET = "whsec_" + Base64.getEncoder().encodeToString("acme-signing-key-0123456789abcdef".getBytes());
  private static final String GLOBEX_SECRET = "whsec_" + Base64.getEncoder().encodeToString("globex-signing-key-0123456789abcd".getBytes());

  @Rule public final transient TestPipeline pipeline = TestPipeline.create();
  @Rule public final transient TemporaryFolder tmp = new TemporaryFolder();
  @Rule public final transient Timeout timeout = Timeout.seconds(60);

  private WebhookReceiver acme;
  private WebhookReceiver globex;
  private TenantConfigSpec tenants;

  @Before
  public void start() throws Exception {
    acme = WebhookReceiver.start(ACME_SECRET);
    globex = WebhookReceiver.start(GLOBEX_SECRET);
    Path dir = tmp.newFolder("tenants").toPath();
    Files.writeString(dir.resolve("acme.whsec"), ACME_SECRET);
    Files.writeString(dir.resolve("globex.whsec"), GLOBEX_SECRET);
    tenants = SinkFixtures.tenants(dir,
        "{kind: webhook, webhook: {url: \"" + acme.url() + "\", signingSecret: \"file://" + dir.resolve("acme.whsec") + "\"}}",
        "{kind: webhook, webhook: {url: \"" + globex.url() + "\", signingSecret: \"file://" + dir.resolve("globex.whsec") + "\"}}");
  }

  @After
  public void stop() {
    acme.close();
    globex.close();
  }

  private WithFailures.Result<PCollection<CrmSync>, DeadLetter> push(WriteCallsToCrm sink, CallRecord... calls) {
    return pipeline.apply(Create.of(List.of(calls))).apply(sink);
  }

  private WriteCallsToCrm sink() {
    return WriteCallsToCrm.using(tenants).withInitialBackoff(Duration.ofMillis(50)).withCallBudget(Duration.ofSeconds(20));
  }

  @Test
  public void deliversSignedEventsWhoseIdIsTheCallId() throws Exception {
    PAssert.that(push(sink(), SampleCalls.call("acme", "c1", 2), SampleCalls.call("acme", "c2", 1),
        SampleCalls.call("acme", "c1", 2)).failures()).empty();
    pipeline.run().waitUntilFinish();

    List<WebhookReceiver.Delivery> deliveries = acme.deliveries();
    assertThat("every delivery passed the receiver's signature check", deliveries, hasSize(3));
    assertEquals("a redelivered call carries the same webhook-id", Set.of("c1", "c2"),
        deliveries.stream().map(WebhookReceiver.Delivery::id).collect(Collectors.toSet()));
    JsonNode event = new ObjectMapper().readTree(deliveries.stream().filter(d -> d.id().equals("c1")).findFirst().orElseThrow().body());
    assertEquals("call.transcribed", event.path("type").asText());
    assertEquals("acme", event.path("data").path("tenantId").asText());
    assertEquals(2, event.path("data").path("segments").size());
    assertEquals("Pat asked for a quote for fifty seats.", event.path("data").path("summary").asText());
    assertThat(globex.deliveries(), hasSize(0));
  }

  @Test
  public void honoursRetryAfter() throws Exception {
    acme.script("/", WebhookReceiver.tooManyRequests(1));
    PAssert.that(push(sink(), SampleCalls.call("acme", "c1", 1)).failures()).empty();
    long started = System.nanoTime();
    pipeline.run().waitUntilFinish();
    assertThat(acme.deliveries(), hasSize(1));
    assertThat(acme.requests(), hasSize(2));
    assertThat((System.nanoTime() - started) / 1_000_000, greaterThanOrEqualTo(1000L));
  }

  @Test
  public void disablesAGoneEndpointAndKeepsServingOtherTenants() throws Exception {
    acme.answerAlways(WebhookReceiver.gone());
    List<CallRecord> calls = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      calls.add(SampleCalls.call("acme", "a" + i, 1));
      calls.add(SampleCalls.call("globex", "g" + i, 1));
    }
    WithFailures.Result<PCollection<CrmSync>, DeadLetter> result = push(sink(), calls.toArray(CallRecord[]::new));
    PAssert.that(result.failures()).satisfies(letters -> {
      int count = 0;
      for (DeadLetter letter : letters) {
        count++;
        assertEquals("acme", letter.getTenantId());
        assertEquals("CRM_ENDPOINT_GONE", letter.getErrorCode());
        assertThat(letter.getMessage(), containsString("410"));
        assertThat(letter.getMessage() + letter.getPayload(), not(containsString(ACME_SECRET)));
      }
      assertEquals(4, count);
      return null;
    });
    pipeline.run().waitUntilFinish();
    assertThat("a gone endpoint is not called again", acme.requests().size(), lessThan(4));
    assertThat(globex.deliveries(), hasSize(4));
  }

  @Test
  public void failsFastOnceATenantsEndpointIsKnownDown() throws Exception {
    globex.answerAlways(HttpStandIn.Answer.of(503, "{\"error\":\"maintenance\"}"));
    List<CallRecord> calls = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      calls.add(SampleCalls.call("globex", "g" + i, 1));
      calls.add(SampleCalls.call("acme", "a" + i, 1));
    }
    WithFailures.Result<PCollection<CrmSync>, DeadLetter> result = push(
        sink().withMaxAttempts(2).withCircuitBreaker(1, Duration.ofMinutes(5)), calls.toArray(CallRecord[]::new));
    PAssert.that(result.failures()).satisfies(letters -> {
      List<String> codes = new ArrayList<>();
      for (DeadLetter letter : letters) {
        assertEquals("globex", letter.getTenantId());
        assertThat(letter.getErrorCode(), either(equalTo("CRM_UNAVAILABLE")).or(equalTo("CRM_CIRCUIT_OPEN")));
        codes.add(letter.getErrorCode());
      }
      assertThat(codes, hasSize(6));
      assertThat("later calls skip the endpoint", codes.contains("CRM_CIRCUIT_OPEN"), equalTo(true));
      return null;
    });
    pipeline.run().waitUntilFinish();
    assertThat("fewer requests than 6 calls x 2 attempts", globex.requests().size(), lessThan(12));
    assertThat(acme.deliveries(), hasSize(6));
  }
}
