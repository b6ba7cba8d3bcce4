package dev.parley.email;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.tenant.SecretRef;
import dev.parley.tenant.TenantConfigSpec;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.slf4j.LoggerFactory;

/** The gateway over real HTTP on localhost, posted to by a SendGrid stand-in that signs with its own key. */
public class EmailGatewayTest {
  private static final String TOKEN = "parse-policy-token-0001";
  private static final long MAX_POST_BYTES = 256 * 1024;
  private static final String ACME = "recordings@acme.parley.example";
  private static final ObjectMapper JSON = new ObjectMapper();
  /** The example tenants: acme-sales receives recordings@acme.parley.example from its PBX, initech its domain. */
  private static final Path EXAMPLES = Path.of("..", "tenant-config", "examples").toAbsolutePath().normalize();


  @Rule public TemporaryFolder tmp = new TemporaryFolder();

  private final SendGridStandIn sendGrid = new SendGridStandIn(TOKEN);
  private Path drop;
  private EmailGateway gateway;

  @Before
  public void startGateway() throws Exception {
    drop = tmp.newFolder("drop").toPath();
    Path key = tmp.newFile("sendgrid-verification-key").toPath();
    Files.writeString(key, sendGrid.verificationKey());
    Path token = tmp.newFile("sendgrid-oauth-token").toPath();
    Files.writeString(token, TOKEN);
    gateway = EmailGateway.start(new GatewaySettings("127.0.0.1", 0, drop.toString(),
        new TenantConfigSpec(List.of(EXAMPLES.toString()), Duration.ofHours(1)),
        SecretRef.parse("file://" + key), SecretRef.parse("file://" + token), MAX_POST_BYTES, Duration.ofMinutes(5),
        Duration.ZERO));
  }

  @After
  public void stopGateway() throws Exception {
    if (gateway != null) {
      gateway.close();
    }
  }

  @Test
  public void storesEachAudioAttachmentWithItsSidecarInTheTenantsFolder() throws Exception {
    byte[] wav = TestAudio.wav(1, 1);
    ParseMail mail = ParseMail.to(ACME)
        .subject("Voicemail from +1 415 555 0100 (Zoë)", StandardCharsets.ISO_8859_1)
        .attach("Voicemail 0100.wav", "audio/x-wav", wav)
        .attach("transcript.pdf", "application/pdf", "%PDF-1.7 not audio".getBytes(StandardCharsets.US_ASCII));

    HttpResponse<String> response = sendGrid.post(gateway.inboundUrl(), mail);

    assertEquals(response.body(), 200, response.statusCode());
    assertEquals(1, json(response).get("stored").asInt());
    assertEquals(1, json(response).get("notAudio").asInt());
    Path audio = drop.resolve("acme-sales/email/2026-11-25/" + key(mail) + "-1-Voicemail_0100.wav");
    assertEquals(List.of(audio, sidecarOf(audio)), files());
    assertArrayEquals(wav, Files.readAllBytes(audio));

    JsonNode sidecar = JSON.readTree(sidecarOf(audio).toFile());
    assertEquals("email", sidecar.get("source").asText());
    assertEquals("acme-sales", sidecar.get("tenantId").asText());
    assertEquals("voicemail@acme-pbx.example", sidecar.get("from").asText());
    assertEquals(ACME, sidecar.get("recipient").asText());
    assertEquals("Voicemail from +1 415 555 0100 (Zoë)", sidecar.get("subject").asText());
    assertEquals("2026-11-25T09:59:58Z", sidecar.get("sentAt").asText());
    assertEquals(mail.messageId(), sidecar.get("messageId").asText());
    assertEquals("Voicemail 0100.wav", sidecar.get("attachmentName").asText());
    assertEquals(1, sidecar.get("attachmentIndex").asInt());
    assertEquals("audio/x-wav", sidecar.get("contentType").asText());
    assertEquals("audio/wav", sidecar.get("audioFormat").asText());
    assertEquals(wav.length, sidecar.get("sizeBytes").asLong());
    assertFalse("received now, not copied from the mail",
        Instant.parse(sidecar.get("receivedAt").asText()).isBefore(Instant.now().minusSeconds(60)));

    assertEquals(1.0, metric("parley_email_accepted_total"), 0);
    assertEquals(1.0, metric("parley_email_attachments_stored_total{tenant=\"acme-sales\"}"), 0);
    assertEquals(1.0, metric("parley_email_attachments_not_audio_total{tenant=\"acme-sales\"}"), 0);
  }

  @Test
  public void routesEveryAddressOfATenantsDomainToThatTenant() throws Exception {
    ParseMail mail = ParseMail.to("support-line-2@Initech.parley.example").from("someone@anywhere.example")
        .messageId(null).attach("call.wav", "application/octet-stream", TestAudio.wav(1, 2));

    assertEquals(200, sendGrid.post(gateway.inboundUrl(), mail).statusCode());

    List<Path> files = files();
    assertEquals(files.toString(), 2, files.size());
    assertThat(files.get(0).toString(), startsWith(drop.resolve("initech/email/2026-11-25/").toString()));
    assertThat(files.get(0).toString(), endsWith("-1-call.wav"));
    assertFalse("no Message-ID, none recorded", JSON.readTree(files.get(1).toFile()).has("messageId"));
  }

  @Test
  public void storesARetriedMailOnce() throws Exception {
    ParseMail mail = ParseMail.to(ACME).attach("a.wav", "audio/wav", TestAudio.wav(1, 3))
        .attach("b.wav", "audio/wav", TestAudio.wav(1, 4));
    assertEquals(200, sendGrid.post(gateway.inboundUrl(), mail).statusCode());
    Map<Path, Long> firstWrite = modificationTimes();

    HttpResponse<String> retry = sendGrid.post(gateway.inboundUrl(), mail);

    assertEquals(200, retry.statusCode());
    assertEquals(0, json(retry).get("stored").asInt());
    assertEquals(2, json(retry).get("duplicates").asInt());
    assertEquals("nothing rewritten", firstWrite, modificationTimes());
    assertEquals(4, firstWrite.size());
    assertEquals(2.0, metric("parley_email_attachments_duplicate_total{tenant=\"acme-sales\"}"), 0);
  }

  @Test
  public void refusesASignatureByAnotherKeyAndStoresNothing() throws Exception {
    SendGridStandIn impostor = new SendGridStandIn(TOKEN);

    HttpResponse<String> response = impostor.post(gateway.inboundUrl(), acmeVoicemail());

    assertRefused(response, 403, "bad_signature");
  }

  @Test
  public void refusesABodyOtherThanTheSignedOne() throws Exception {
    ParseMail.Post signed = acmeVoicemail().post();
    ParseMail.Post sent = ParseMail.to(ACME).attach("other.wav", "audio/wav", TestAudio.wav(1, 6)).post();

    HttpResponse<String> response = sendGrid.send(
        gateway.inboundUrl(), sent.contentType(), sent.body(), sendGrid.headers(signed.body(), Instant.now()));

    assertRefused(response, 403, "bad_signature");
  }

  @Test
  public void refusesAnUnsignedPost() throws Exception {
    ParseMail.Post post = acmeVoicemail().post();
    Map<String, String> headers = new HashMap<>(sendGrid.headers(post.body(), Instant.now()));
    headers.remove(PostAuthenticator.SIGNATURE_HEADER);

    assertRefused(sendGrid.send(gateway.inboundUrl(), post.contentType(), post.body(), headers),
        403, "missing_signature");
  }

  @Test
  public void refusesAReplayWithAStaleTimestamp() throws Exception {
    ParseMail.Post post = acmeVoicemail().post();
    Map<String, String> tenMinutesOld = sendGrid.headers(post.body(), Instant.now().minusSeconds(600));

    HttpResponse<String> response = sendGrid.send(gateway.inboundUrl(), post.contentType(), post.body(), tenMinutesOld);

    assertRefused(response, 403, "stale_timestamp");
  }

  @Test
  public void refusesAMissingOrWrongBearerToken() throws Exception {
    ParseMail.Post post = acmeVoicemail().post();
    Map<String, String> headers = new HashMap<>(sendGrid.headers(post.body(), Instant.now()));
    headers.remove("Authorization");
    HttpResponse<String> missing = sendGrid.send(gateway.inboundUrl(), post.contentType(), post.body(), headers);
    assertRefused(missing, 401, "missing_token");
    assertEquals("the unread post was read to its end: the connection stays usable",
        Optional.empty(), missing.headers().firstValue("Connection"));

    headers.put("Authorization", "Bearer parse-policy-token-0002");
    HttpResponse<String> wrong = sendGrid.send(gateway.inboundUrl(), post.contentType(), post.body(), headers);
    assertRefused(wrong, 401, "bad_token");
    assertFalse("the token is never echoed", wrong.body().contains("parse-policy-token"));
  }

  @Test
  public void writesNoCredentialToItsLogs() throws Exception {
    Logger root = (Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
    ListAppender<ILoggingEvent> logs = new ListAppender<>();
    logs.start();
    root.addAppender(logs);
    try {
      ParseMail.Post post = acmeVoicemail().post();
      Map<String, String> headers = new HashMap<>(sendGrid.headers(post.body(), Instant.now()));
      headers.put("Authorization", "Bearer " + TOKEN + "-guessed");
      sendGrid.send(gateway.inboundUrl(), post.contentType(), post.body(), headers);
      new SendGridStandIn(TOKEN).post(gateway.inboundUrl(), acmeVoicemail());
      sendGrid.post(gateway.inboundUrl(), acmeVoicemail());
    } finally {
      root.detachAppender(logs);
    }

    assertEquals("a line for each post", 3, logs.list.size());
    for (ILoggingEvent event : logs.list) {
      String line = event.getFormattedMessage() + " " + event.getKeyValuePairs()
          + (event.getThrowableProxy() == null ? "" : event.getThrowableProxy().getMessage());
      assertFalse(line, line.contains(TOKEN) || line.contains(sendGrid.verificationKey()));
    }
  }

  @Test
  public void dropsMailForAnUnknownRecipientWithoutAskingForRetries() throws Exception {
    ParseMail mail = ParseMail.to("recordings@globex.parley.example").attach("c.wav", "audio/wav", TestAudio.wav(1, 7));

    HttpResponse<String> response = sendGrid.post(gateway.inboundUrl(), mail);

    assertRefused(response, 200, "unknown_recipient");
    assertEquals("dropped", json(response).get("result").asText());
  }

  @Test
  public void dropsMailFromASenderTheTenantDoesNotAllow() throws Exception {
    ParseMail mail = ParseMail.to(ACME).from("Mallory <mallory@acme-pbx.example.evil.example>")
        .attach("c.wav", "audio/wav", TestAudio.wav(1, 8));

    assertRefused(sendGrid.post(gateway.inboundUrl(), mail), 200, "sender_not_allowed");
  }

  @Test
  public void refusesAPostOverTheSizeLimitWhetherDeclaredOrStreamed() throws Exception {
    ParseMail.Post post = ParseMail.to(ACME).attach("long.wav", "audio/wav", TestAudio.wav(20, 9)).post();
    assertThat("the test post is over the limit", post.body().length > MAX_POST_BYTES);
    Map<String, String> headers = sendGrid.headers(post.body(), Instant.now());

    assertRefused(sendGrid.send(gateway.inboundUrl(), post.contentType(), post.body(), headers), 413, "too_large");
    assertRefused(sendGrid.sendChunked(gateway.inboundUrl(), post.contentType(), post.body(), headers),
        413, "too_large");
    assertEquals(2.0, metric("parley_email_refused_total{reason=\"too_large\"}"), 0);
  }

  @Test
  public void refusesAPostThatIsNotAnInboundParseForm() throws Exception {
    byte[] json = "{\"to\":\"recordings@acme.parley.example\"}".getBytes(StandardCharsets.UTF_8);
    assertRefused(sendGrid.send(gateway.inboundUrl(), "application/json", json,
        sendGrid.headers(json, Instant.now())), 400, "malformed");
  }

  @Test
  public void answers503WhenTheDropFolderCannotBeWrittenAndLeavesNothingBehind() throws Exception {
    Path blocker = drop.resolve("acme-sales/email");
    Files.createDirectories(blocker.getParent());
    Files.writeString(blocker, "a file where the gateway needs a folder");
    ParseMail mail = acmeVoicemail();

    HttpResponse<String> response = sendGrid.post(gateway.inboundUrl(), mail);

    assertEquals(response.body(), 503, response.statusCode());
    assertEquals("storage_unavailable", json(response).get("reason").asText());
    assertEquals(List.of(blocker), files());
    assertEquals(1.0, metric("parley_email_storage_failures_total"), 0);

    Files.delete(blocker);
    assertEquals("SendGrid's retry succeeds", 200, sendGrid.post(gateway.inboundUrl(), mail).statusCode());
    assertEquals(2, files().size());
  }

  @Test
  public void removesTheSidecarWhenItsRecordingCannotBePutInPlace() throws Exception {
    ParseMail mail = acmeVoicemail();
    Path audio = drop.resolve("acme-sales/email/2026-11-25/" + key(mail) + "-1-vm.wav");
    Files.createDirectories(audio.resolve("in-the-way")); // A non-empty folder: the rename into place fails.

    HttpResponse<String> response = sendGrid.post(gateway.inboundUrl(), mail);

    assertEquals(response.body(), 503, response.statusCode());
    assertEquals("only what was in the way", List.of(audio.resolve("in-the-way")), entries());
  }

  @Test
  public void servesItsCountersForPrometheus() throws Exception {
    sendGrid.post(gateway.inboundUrl(), acmeVoicemail());
    new SendGridStandIn(TOKEN).post(gateway.inboundUrl(), acmeVoicemail());

    String text = get("/metrics");

    assertThat(text, containsString("# TYPE parley_email_refused_total counter"));
    assertThat(text, containsString("parley_email_refused_total{reason=\"bad_signature\"} 1.0"));
    assertThat(text, containsString("parley_email_attachments_stored_total{tenant=\"acme-sales\"} 1.0"));
    assertEquals("ok\n", get("/healthz"));
  }

  private static ParseMail acmeVoicemail() {
    return ParseMail.to(ACME).attach("vm.wav", "audio/wav", TestAudio.wav(1, 5));
  }

  private void assertRefused(HttpResponse<String> response, int status, String reason) throws Exception {
    assertEquals(response.body(), status, response.statusCode());
    assertEquals(reason, json(response).get("reason").asText());
    assertThat("nothing stored", files(), empty());
    assertThat(metric("parley_email_refused_total{reason=\"" + reason + "\"}"), greaterThanOrEqualTo(1.0));
  }

  private static String key(ParseMail mail) {
    return EmailObjectNames.key(mail.messageId());
  }

  private static Path sidecarOf(Path audio) {
    return Path.of(EmailObjectNames.sidecar(audio.toString()));
  }

  /** Every regular file under the drop folder, sorted; temporaries would show here too. */
  private List<Path> files() throws Exception {
    try (Stream<Path> paths = Files.walk(drop)) {
      return paths.filter(Files::isRegularFile).sorted().toList();
    }
  }

  /** Every file and folder that holds nothing, under the drop folder. */
  private List<Path> entries() throws Exception {
    try (Stream<Path> paths = Files.walk(drop)) {
      return paths.filter(p -> !Files.isDirectory(p) || p.toFile().list().length == 0).sorted().toList();
    }
  }

  private Map<Path, Long> modificationTimes() throws Exception {
    Map<Path, Long> times = new HashMap<>();
    for (Path file : files()) {
      times.put(file, Files.getLastModifiedTime(file).toMillis());
    }
    return times;
  }

  private double metric(String series) throws Exception {
    return get("/metrics").lines().filter(l -> l.startsWith(series + " ")).findFirst()
        .map(l -> Double.parseDouble(l.substring(series.length() + 1))).orElse(0.0);
  }

  private String get(String path) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + path)).build();
    return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString()).body();
  }

  private static JsonNode json(HttpResponse<String> response) throws Exception {
    return JSON.readTree(response.body());
  }
}
