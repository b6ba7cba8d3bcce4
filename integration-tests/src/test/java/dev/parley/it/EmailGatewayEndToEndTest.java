package dev.parley.it;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.email.EmailGateway;
import dev.parley.email.GatewaySettings;
import dev.parley.email.ParseMail;
import dev.parley.email.SendGridStandIn;
import dev.parley.pipeline.IngestOptions;
import dev.parley.pipeline.IngestPipeline;
import dev.parley.tenant.SecretRef;
import dev.parley.tenant.TenantConfigSpec;
import dev.parley.tools.SampleAudio;
import dev.parley.tools.StoreContents;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * Recordings by email end to end: signed SendGrid posts through the running gateway into the drop folder, then
 * the real pipeline (DirectRunner, Gemini emulator, local store) over that folder. Tenants and their inbound
 * addresses are the examples'.
 */
public class EmailGatewayEndToEndTest {
  @Rule public TemporaryFolder tmp = new TemporaryFolder();
  @Rule public GeminiEmulatorRule gemini = new GeminiEmulatorRule();

  @Test
  public void everyMailedRecordingBecomesOneCallOfItsTenant() throws Exception {
    Path drop = tmp.newFolder("drop").toPath();
    Path out = tmp.newFolder("out").toPath();
    String tenantConfig = LocalTenants.write(tmp.newFolder("tenants").toPath());
    SendGridStandIn sendGrid = new SendGridStandIn(null);
    Path key = tmp.newFile("sendgrid.pub").toPath();
    Files.writeString(key, sendGrid.verificationKey());

    byte[] voicemail = SampleAudio.wav(3, 16000, 1, 21);
    byte[] callA = SampleAudio.wav(2, 8000, 1, 22);
    byte[] callB = SampleAudio.wav(2, 8000, 2, 23);
    ParseMail acme = ParseMail.to("recordings@acme.parley.example").attach("voicemail.wav", "audio/wav", voicemail);
    ParseMail initech = ParseMail.to("calls@initech.parley.example").from("Initech PBX <pbx@initech.example>")
        .messageId("<export-77@pbx.initech.example>")
        .attach("call-a.wav", "audio/x-wav", callA)
        .attach("notes.pdf", "application/pdf", "%PDF-1.4 notes".getBytes(StandardCharsets.US_ASCII))
        .attach("call-b", "application/octet-stream", callB);
    ParseMail unknown = ParseMail.to("recordings@globex.parley.example").attach("x.wav", "audio/wav", callA);
    ParseMail spoofed = ParseMail.to("recordings@acme.parley.example").from("ceo@acme-pbx.example.evil.example")
        .messageId("<spoof-1@evil.example>").attach("y.wav", "audio/wav", callB);

    try (EmailGateway gateway = EmailGateway.start(new GatewaySettings("127.0.0.1", 0, drop.toString(),
        new TenantConfigSpec(Arrays.asList(tenantConfig.split(",")), Duration.ofHours(1)),
        SecretRef.parse("file://" + key), null, 40L << 20, Duration.ofMinutes(5), Duration.ZERO))) {
      assertAnswer(sendGrid.post(gateway.inboundUrl(), acme), "accepted");
      assertAnswer(sendGrid.post(gateway.inboundUrl(), acme), "accepted"); // SendGrid's retry
      assertAnswer(sendGrid.post(gateway.inboundUrl(), initech), "accepted");
      assertAnswer(sendGrid.post(gateway.inboundUrl(), unknown), "dropped");
      assertAnswer(sendGrid.post(gateway.inboundUrl(), spoofed), "dropped");
    }

    IngestOptions options = PipelineOptionsFactory.fromArgs(
        "--tenantConfig=" + tenantConfig, "--dropFolder=" + drop, "--outputDir=" + out,
        "--geminiEndpoint=" + gemini.baseUrl(), "--runId=email").as(IngestOptions.class);
    assertEquals(PipelineResult.State.DONE, IngestPipeline.create(options).run().waitUntilFinish());

    StoreContents store = StoreContents.read(out);
    Map<String, String> tenantOfDigest = store.calls().stream().collect(Collectors.toMap(
        call -> call.get("AudioSha256").asText(), call -> call.get("TenantId").asText()));
    assertEquals("one call per recording, the retry adding none", Map.of(
        EndToEndTest.sha256(voicemail), "acme-sales",
        EndToEndTest.sha256(callA), "initech",
        EndToEndTest.sha256(callB), "initech"), tenantOfDigest);
    for (JsonNode call : store.calls()) {
      String source = call.get("SourceUri").asText();
      assertThat(source, containsString(drop + "/" + call.get("TenantId").asText() + "/email/2026-11-25/"));
      assertThat("transcribed from its own audio", EndToEndTest.segmentText(store, call.get("CallId").asText()),
          containsString("sha256:" + call.get("AudioSha256").asText()));
    }
    assertEquals("sidecars and temporaries are not recordings", List.of(), store.deadLetters());
    assertEquals(3, gemini.get().requests().size());
  }

  private static void assertAnswer(HttpResponse<String> response, String result) {
    assertEquals(response.body(), 200, response.statusCode());
    assertThat(response.body(), containsString("\"result\":\"" + result + "\""));
  }
}
