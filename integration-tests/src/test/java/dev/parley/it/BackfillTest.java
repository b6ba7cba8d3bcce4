package dev.parley.it;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasToString;
import static org.hamcrest.Matchers.not;
import static org.junit.Assert.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.emulator.gemini.Fault;
import dev.parley.emulator.gemini.RecordedRequest;
import dev.parley.emulator.spanner.SpannerStandIn;
import dev.parley.pipeline.BackfillOptions;
import dev.parley.pipeline.BackfillPipeline;
import dev.parley.tools.SampleAudio;
import dev.parley.tools.StoreContents;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** The batch backfill: selection by time, tenant and manifest; stored calls skipped; reprocessing on request. */
public class BackfillTest {
  @Rule public TemporaryFolder tmp = new TemporaryFolder();
  @Rule public GeminiEmulatorRule gemini = new GeminiEmulatorRule();

  private Path drop;
  private Path out;
  private String tenantConfig;
  private final List<Path> files = new ArrayList<>();

  @Before
  public void recordings() throws Exception {
    drop = tmp.newFolder("drop").toPath();
    out = tmp.newFolder("out").toPath();
    tenantConfig = LocalTenants.write(tmp.newFolder("tenants").toPath());
    String[] days = {"2026/10/30", "2026/11/02", "2026/11/20"};
    int seed = 0;
    for (String tenant : List.of("acme-sales", "initech")) {
      for (String day : days) {
        Path file = drop.resolve(tenant + "/" + day + "/call.wav");
        Files.createDirectories(file.getParent());
        Files.write(file, SampleAudio.wav(1, 8000, 1, 1200 + seed++));
        Files.setLastModifiedTime(file, FileTime.from(Instant.parse(day.replace('/', '-') + "T12:00:00Z")));
        files.add(file);
      }
    }
  }

  private PipelineResult.State backfill(String... extra) throws Exception {
    List<String> args = new ArrayList<>(List.of("--tenantConfig=" + tenantConfig, "--dropFolder=" + drop,
        "--outputDir=" + out, "--geminiEndpoint=" + gemini.baseUrl()));
    args.addAll(List.of(extra));
    BackfillOptions options = PipelineOptionsFactory.fromArgs(args.toArray(String[]::new)).as(BackfillOptions.class);
    return BackfillPipeline.create(options).run().waitUntilFinish();
  }

  private Set<String> storedPaths() {
    return StoreContents.read(out).calls().stream().map(c -> c.get("SourceUri").asText())
        .map(u -> drop.relativize(Path.of(u)).toString()).collect(Collectors.toSet());
  }

  @Test
  public void aSecondRunDoesNoModelWorkUnlessAskedToReprocess() throws Exception {
    assertEquals(PipelineResult.State.DONE, backfill("--runId=first"));
    assertEquals(6, StoreContents.read(out).calls().size());
    assertEquals(6, gemini.get().requests().size());

    assertEquals(PipelineResult.State.DONE, backfill("--runId=second"));
    assertEquals("nothing asked of the model the second time", 6, gemini.get().requests().size());
    assertEquals(6, StoreContents.read(out).calls().size());

    assertEquals(PipelineResult.State.DONE, backfill("--runId=third", "--reprocess", "--tenant=initech"));
    assertEquals("only initech's three, again", 9, gemini.get().requests().size());
  }

  /**
   * With Spanner as the store, what is stored is read back from Spanner (through SpannerIO and the real client,
   * against the stand-in, which answers from the rows committed): only the tenant in scope, then everyone.
   */
  @Test
  public void skipsCallsAlreadyStoredInSpanner() throws Exception {
    try (SpannerStandIn spanner = SpannerStandIn.start()) {
      String[] toSpanner = {"--spannerProject=parley-test", "--spannerInstance=parley", "--spannerDatabase=calls",
          "--spannerEmulatorHost=" + spanner.host()};
      assertEquals(PipelineResult.State.DONE, backfill(with(toSpanner, "--runId=initech", "--tenant=initech")));
      assertEquals(3, gemini.get().requests().size());
      assertEquals(Integer.valueOf(3), spanner.rowsWritten().get("Calls"));
      assertThat("stored keys are read from Spanner", spanner.callKeyReads(), not(empty()));
      assertThat("only initech's key range is read", spanner.callKeyReads(), everyItem(
          hasToString(containsString("initech"))));

      assertEquals(PipelineResult.State.DONE, backfill(with(toSpanner, "--runId=everyone")));
      assertEquals("acme-sales' three are new, initech's are stored", 6, gemini.get().requests().size());
      assertEquals(Integer.valueOf(6), spanner.rowsWritten().get("Calls"));

      assertEquals(PipelineResult.State.DONE, backfill(with(toSpanner, "--runId=again")));
      assertEquals("nothing asked of the model the third time", 6, gemini.get().requests().size());
      assertEquals("no call stored twice", Integer.valueOf(6), spanner.rowsWritten().get("Calls"));
      assertThat("the local store is not where calls are", StoreContents.read(out).calls(), empty());
    }
  }

  private static String[] with(String[] options, String... more) {
    return Stream.concat(Arrays.stream(options), Arrays.stream(more)).toArray(String[]::new);
  }

  @Test
  public void selectsByObjectTimeOrFolderDateAndByTenant() throws Exception {
    backfill("--runId=november", "--from=2026-11-01", "--to=2026-11-15");
    assertEquals(Set.of("acme-sales/2026/11/02/call.wav", "initech/2026/11/02/call.wav"), storedPaths());

    // Folder dates, one tenant: the late-October recording was uploaded in November, but its folder says October.
    Files.setLastModifiedTime(files.get(0), FileTime.from(Instant.parse("2026-11-03T00:00:00Z")));
    backfill("--runId=october", "--to=2026-11-01", "--timeBasis=PATH_DATE", "--tenant=acme-sales");
    assertEquals(Set.of("acme-sales/2026/11/02/call.wav", "initech/2026/11/02/call.wav",
        "acme-sales/2026/10/30/call.wav"), storedPaths());
  }

  /**
   * Batch mode: one batch job per tenant (and its model), polled until done; every good call stored once from its
   * line's answer at half the online price; an error line and an answer off the schema dead-lettered; no online
   * request at all.
   */
  @Test
  public void batchModeStoresCallsFromBatchAnswersAndDeadLettersBadLines() throws Exception {
    gemini.get().batchPollsToFinish(3);
    gemini.get().scriptBatchLine(sha256(files.get(1)), Fault.Kind.BAD_REQUEST);
    gemini.get().scriptBatchLine(sha256(files.get(4)), Fault.Kind.MALFORMED);
    assertEquals(PipelineResult.State.DONE,
        backfill("--runId=batch", "--modelBatchMode=true", "--modelBatchPollSeconds=1"));

    assertEquals(Set.of("acme-sales/2026/10/30/call.wav", "acme-sales/2026/11/20/call.wav",
        "initech/2026/10/30/call.wav", "initech/2026/11/20/call.wav"), storedPaths());
    for (JsonNode call : StoreContents.read(out).calls()) {
      assertEquals("each transcript came from its own audio", sha256(Path.of(call.get("SourceUri").asText())),
          call.get("AudioSha256").asText());
    }
    Map<String, String> deadLetters = StoreContents.read(out).deadLetters().stream().collect(Collectors.toMap(
        d -> d.get("SourceUri").asText(), d -> d.get("ErrorCode").asText()));
    assertEquals(Map.of(files.get(1).toString(), "MODEL_BATCH_LINE_FAILED",
        files.get(4).toString(), "MODEL_RESPONSE_INVALID"), deadLetters);
    Map<String, Long> methods = gemini.get().requests().stream()
        .collect(Collectors.groupingBy(RecordedRequest::method, Collectors.counting()));
    assertEquals("no online request in batch mode", null, methods.get("generateContent"));
    assertEquals("one job per tenant and model", Long.valueOf(2), methods.get("batchGenerateContent"));
    assertEquals("each job read until its third poll", Long.valueOf(6), methods.get("batches.get"));

    // The same calls online, into a store of their own: the batch price is half.
    Map<String, Double> batchCost = costs();
    out = tmp.newFolder("online").toPath();
    assertEquals(PipelineResult.State.DONE, backfill("--runId=online"));
    Map<String, Double> onlineCost = costs();
    for (Map.Entry<String, Double> call : batchCost.entrySet()) {
      assertEquals(onlineCost.get(call.getKey()) / 2, call.getValue(), 1e-12);
    }
  }

  @Test
  public void aFailedBatchJobDeadLettersItsCalls() throws Exception {
    gemini.get().endNextBatchJob("BATCH_STATE_FAILED");
    assertEquals(PipelineResult.State.DONE,
        backfill("--runId=failed", "--modelBatchMode=true", "--modelBatchPollSeconds=1", "--tenant=initech"));
    assertThat(StoreContents.read(out).calls(), empty());
    assertEquals(List.of("MODEL_BATCH_JOB_FAILED", "MODEL_BATCH_JOB_FAILED", "MODEL_BATCH_JOB_FAILED"),
        StoreContents.read(out).deadLetters().stream().map(d -> d.get("ErrorCode").asText()).toList());
    assertThat(gemini.get().requests(), everyItem(hasToString(not(containsString("method=generateContent")))));
  }

  /** The estimated cost of each stored call. */
  private Map<String, Double> costs() {
    return StoreContents.read(out).calls().stream().collect(Collectors.toMap(c -> c.get("CallId").asText(),
        c -> c.get("EstimatedCostUsd").asDouble()));
  }

  private static String sha256(Path file) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
  }

  @Test
  public void backfillsAManifestOfRecordings() throws Exception {
    Path manifest = tmp.newFile("manifest.txt").toPath();
    Files.writeString(manifest, "# calls the phone system lost track of\n" + files.get(1) + "\n\n" + files.get(5) + "\n");
    backfill("--runId=manifest", "--manifest=" + manifest);
    assertEquals(Set.of("acme-sales/2026/11/02/call.wav", "initech/2026/11/20/call.wav"), storedPaths());
    assertEquals(2, gemini.get().requests().size());
  }
}
