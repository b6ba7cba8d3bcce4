package dev.parley.it;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.Assert.assertEquals;

import com.google.protobuf.ListValue;
import com.google.spanner.v1.CommitRequest;
import com.google.spanner.v1.Mutation;
import dev.parley.emulator.crm.WebhookReceiver;
import dev.parley.emulator.spanner.SpannerStandIn;
import dev.parley.pipeline.IngestOptions;
import dev.parley.pipeline.IngestPipeline;
import dev.parley.tools.SampleAudio;
import dev.parley.tools.StoreContents;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The ingest job with its sinks: calls stored in Spanner (the stand-in, shared database plus globex's own), then
 * initech's calls pushed to its signed webhook and the outcomes stored as CrmSync rows.
 */
public class SinksEndToEndTest {
  private static final String SECRET = "whsec_" + Base64.getEncoder().encodeToString("initech-webhook-key-0123456789ab".getBytes());

  @Rule public TemporaryFolder tmp = new TemporaryFolder();
  @Rule public GeminiEmulatorRule gemini = new GeminiEmulatorRule();

  @Test
  public void storesEveryCallInItsTenantsDatabaseThenPushesItToTheTenantsCrm() throws Exception {
    Path drop = tmp.newFolder("drop").toPath();
    Path out = tmp.newFolder("out").toPath();
    Path tenantDir = tmp.newFolder("tenants").toPath();
    long seed = 1;
    for (String tenant : List.of("acme-sales", "globex-support", "initech")) {
      for (int i = 0; i < 2; i++) {
        Files.createDirectories(drop.resolve(tenant));
        Files.write(drop.resolve(tenant + "/call-" + i + ".wav"), SampleAudio.wav(2, 8000, 1, seed++));
      }
    }
    Files.writeString(tenantDir.resolve("initech.whsec"), SECRET);
    try (SpannerStandIn spanner = SpannerStandIn.start(); WebhookReceiver initech = WebhookReceiver.start(SECRET)) {
      Path overlay = tenantDir.resolve("crm-overlay.yaml");
      Files.writeString(overlay, """
          tenants:
            acme-sales: {crm: {kind: none}}
            globex-support: {crm: {kind: none}}
            initech: {crm: {kind: webhook, webhook: {url: "%s", signingSecret: "file://%s"}}}
          """.formatted(initech.url(), tenantDir.resolve("initech.whsec")));
      String tenantConfig = LocalTenants.write(tenantDir) + "," + overlay;
      IngestOptions options = PipelineOptionsFactory.fromArgs(
          "--tenantConfig=" + tenantConfig, "--dropFolder=" + drop, "--outputDir=" + out,
          "--geminiEndpoint=" + gemini.baseUrl(), "--runId=test", "--spannerProject=parley-test",
          "--spannerInstance=parley", "--spannerDatabase=calls", "--spannerEmulatorHost=" + spanner.host(),
          "--pushToCrm=true").as(IngestOptions.class);
      assertEquals(PipelineResult.State.DONE, IngestPipeline.create(options).run().waitUntilFinish());

      assertThat(StoreContents.read(out).deadLetters(), empty());
      assertThat("Spanner replaces the local calls table", StoreContents.read(out).calls(), empty());
      assertThat(spanner.unknownColumns(), empty());
      Set<String> calls = new HashSet<>();
      List<String> databasesOfGlobex = new ArrayList<>();
      List<String> crmSync = new ArrayList<>();
      for (CommitRequest commit : spanner.commits()) {
        for (Mutation mutation : commit.getMutationsList()) {
          if (!mutation.hasInsertOrUpdate()) {
            continue;
          }
          for (ListValue row : mutation.getInsertOrUpdate().getValuesList()) {
            String tenant = row.getValues(0).getStringValue();
            if (mutation.getInsertOrUpdate().getTable().equals("Calls")) {
              calls.add(tenant + "/" + row.getValues(1).getStringValue());
              if (tenant.equals("globex-support")) {
                databasesOfGlobex.add(commit.getSession().substring(0, commit.getSession().indexOf("/sessions/")));
              }
            } else if (mutation.getInsertOrUpdate().getTable().equals("CrmSync")) {
              int status = mutation.getInsertOrUpdate().getColumnsList().indexOf("Status");
              crmSync.add(tenant + ":" + row.getValues(status).getStringValue());
            }
          }
        }
      }
      assertThat(calls, hasSize(6));
      assertEquals(Set.of("projects/globex-data/instances/globex-eu/databases/parley_calls"), new HashSet<>(databasesOfGlobex));
      assertEquals(List.of("initech:SYNCED", "initech:SYNCED"), crmSync);
      assertThat("only initech has a CRM, and it got each stored call once", initech.deliveries(), hasSize(2));
    }
  }
}
