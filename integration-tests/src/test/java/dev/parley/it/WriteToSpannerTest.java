package dev.parley.it;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.google.cloud.spanner.MockSpannerServiceImpl.SimulatedExecutionTime;
import com.google.protobuf.ByteString;
import com.google.protobuf.ListValue;
import com.google.spanner.v1.CommitRequest;
import com.google.spanner.v1.Mutation;
import dev.parley.emulator.spanner.SpannerStandIn;
import dev.parley.model.CallRecord;
import dev.parley.model.DeadLetter;
import dev.parley.tenant.TenantConfigLoader;
import dev.parley.tenant.TenantConfigSpec;
import dev.parley.tools.SampleCalls;
import dev.parley.transforms.spanner.SpannerDatabase;
import dev.parley.transforms.spanner.SpannerTargets;
import dev.parley.transforms.spanner.WriteToSpanner;
import io.grpc.Status;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.StreamSupport;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.WithFailures;
import org.apache.beam.sdk.values.PCollection;
import org.joda.time.Duration;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.junit.rules.Timeout;

/** The Spanner sink through Beam's SpannerIO against google-cloud-spanner's mock server on localhost. */
public class WriteToSpannerTest {
  private static final SpannerDatabase SHARED = new SpannerDatabase("parley-test", "parley", "calls");

  @Rule public final transient TestPipeline pipeline = TestPipeline.create();
  @Rule public final transient TemporaryFolder tmp = new TemporaryFolder();
  @Rule public final transient Timeout timeout = Timeout.seconds(90);

  private SpannerStandIn spanner;
  private TenantConfigSpec tenants;

  @Before
  public void start() throws Exception {
    spanner = SpannerStandIn.start();
    tenants = SinkFixtures.tenants(tmp.newFolder("tenants").toPath(), "{kind: none}", "{kind: none}");
  }

  @After
  public void stop() throws Exception {
    spanner.close();
  }

  private WriteToSpanner<CallRecord> sink(SpannerDatabase shared) throws Exception {
    return WriteToSpanner.calls(tenants, SpannerTargets.of(shared, TenantConfigLoader.load(tenants.locations())))
        .withEmulatorHost(spanner.host());
  }

  private WithFailures.Result<PCollection<CallRecord>, DeadLetter> write(WriteToSpanner<CallRecord> sink,
      CallRecord... calls) {
    return pipeline.apply(Create.of(List.of(calls))).apply(sink);
  }

  /** Key columns of every InsertOrUpdate row of {@code table}, as "a/b[/c]", in commit order. */
  private List<String> keys(String table, int keyColumns) {
    List<String> keys = new ArrayList<>();
    for (CommitRequest commit : spanner.commits()) {
      for (Mutation mutation : commit.getMutationsList()) {
        if (mutation.hasInsertOrUpdate() && mutation.getInsertOrUpdate().getTable().equals(table)) {
          List<String> columns = mutation.getInsertOrUpdate().getColumnsList();
          for (ListValue row : mutation.getInsertOrUpdate().getValuesList()) {
            keys.add(String.join("/", columns.subList(0, keyColumns).stream()
                .map(c -> row.getValues(columns.indexOf(c)).getStringValue()).toList()));
          }
        }
      }
    }
    return keys;
  }

  @Test
  public void writesEveryTableToEachTenantsDatabaseAndRewritesRedeliveredCalls() throws Exception {
    CallRecord acme = SampleCalls.call("acme", "c1", 3);
    WithFailures.Result<PCollection<CallRecord>, DeadLetter> result = write(sink(SHARED),
        acme, SampleCalls.inMeeting("acme", "c2", 1), SampleCalls.call("globex", "c3", 2), acme);
    PAssert.that(result.failures()).empty();
    PAssert.that(result.output()).satisfies(written -> {
      assertEquals(4, StreamSupport.stream(written.spliterator(), false).count());
      return null;
    });
    pipeline.run().waitUntilFinish();

    assertThat("every written column is in the DDL", spanner.unknownColumns(), empty());
    assertThat(new HashSet<>(keys("Calls", 2)), containsInAnyOrder("acme/c1", "acme/c2", "globex/c3"));
    // The redelivered c1 wrote the same keys again: 3 + 1 + 2 distinct segment rows, 9 rows written in all.
    List<String> segments = keys("TranscriptSegments", 3);
    assertEquals(9, segments.size());
    assertEquals(6, new HashSet<>(segments).size());
    assertThat(new HashSet<>(keys("TenantUsage", 3)),
        containsInAnyOrder("acme/2026-11-25/c1", "acme/2026-11-25/c2", "globex/2026-11-25/c3"));
    assertEquals("only the call matched to a meeting has one", List.of("acme/c2"), keys("CalendarMatches", 2));
    assertEquals(List.of("acme/c2/0", "acme/c2/1"), keys("CalendarAttendees", 3));

    for (CommitRequest commit : spanner.commits()) {
      Set<String> tenantsInCommit = new HashSet<>();
      for (Mutation mutation : commit.getMutationsList()) {
        if (mutation.hasInsertOrUpdate() && mutation.getInsertOrUpdate().getTable().equals("Calls")) {
          mutation.getInsertOrUpdate().getValuesList().forEach(row -> tenantsInCommit.add(row.getValues(0).getStringValue()));
        }
      }
      String database = commit.getSession().substring(0, commit.getSession().indexOf("/sessions/"));
      assertEquals("each tenant's rows go to its own database", tenantsInCommit.contains("globex")
          ? SinkFixtures.GLOBEX_DATABASE : SHARED.path(), database);
      assertTrue("a commit never mixes databases", tenantsInCommit.size() <= 1 || !tenantsInCommit.contains("globex"));
    }
  }

  @Test
  public void spreadsALongTranscriptOverSeveralCommitsWithinSpannersLimits() throws Exception {
    PCollection<CallRecord> written = write(sink(SHARED), SampleCalls.call("acme", "long", 3000)).output();
    PAssert.that(written).satisfies(calls -> {
      assertEquals(1, StreamSupport.stream(calls.spliterator(), false).count());
      return null;
    });
    pipeline.run().waitUntilFinish();

    assertEquals(3000, new HashSet<>(keys("TranscriptSegments", 3)).size());
    assertThat("more than one commit", spanner.commits().size(), greaterThan(1));
    for (CommitRequest commit : spanner.commits()) {
      int cells = 0;
      for (Mutation mutation : commit.getMutationsList()) {
        if (mutation.hasInsertOrUpdate()) {
          cells += mutation.getInsertOrUpdate().getValuesCount() * mutation.getInsertOrUpdate().getColumnsCount();
        }
      }
      assertThat("far below 80,000 mutations per commit", cells, org.hamcrest.Matchers.lessThanOrEqualTo(40_000));
      assertThat("every commit carries the parent row of its segments", keys("Calls", 2), everyItem(startsWith("acme/long")));
    }
    boolean deletesStaleTail = spanner.commits().stream().flatMap(c -> c.getMutationsList().stream())
        .anyMatch(m -> m.hasDelete() && m.getDelete().getTable().equals("TranscriptSegments"));
    assertTrue("rows left by an earlier, longer transcript are removed", deletesStaleTail);
  }

  @Test
  public void retriesAbortedCommits() throws Exception {
    spanner.mock().setCommitExecutionTime(SimulatedExecutionTime.ofException(
        spanner.mock().createAbortedException(ByteString.copyFromUtf8("aborted-once"))));
    WithFailures.Result<PCollection<CallRecord>, DeadLetter> result = write(sink(SHARED), SampleCalls.call("acme", "c1", 2));
    PAssert.that(result.failures()).empty();
    PAssert.that(result.output()).satisfies(calls -> {
      assertEquals(1, StreamSupport.stream(calls.spliterator(), false).count());
      return null;
    });
    pipeline.run().waitUntilFinish();
    assertThat("the aborted commit was tried again", spanner.commits().size(), greaterThanOrEqualTo(2));
  }

  @Test
  public void deadLettersCallsSpannerCannotCommitAndPassesNoneOn() throws Exception {
    spanner.mock().setCommitExecutionTime(SimulatedExecutionTime.ofStickyException(
        Status.UNAVAILABLE.withDescription("spanner is down").asRuntimeException()));
    WithFailures.Result<PCollection<CallRecord>, DeadLetter> result = write(
        sink(SHARED).withCommitDeadline(Duration.standardSeconds(2)).withMaxCumulativeBackoff(Duration.millis(500)),
        SampleCalls.call("acme", "c1", 2), SampleCalls.call("globex", "c3", 1));
    PAssert.that(result.output()).empty();
    PAssert.that(result.failures()).satisfies(letters -> {
      List<String> calls = new ArrayList<>();
      for (DeadLetter letter : letters) {
        assertEquals("STORE_WRITE_FAILED", letter.getErrorCode());
        assertEquals("StoreCalls", letter.getStage());
        assertThat(letter.getMessage(), containsString("databases/"));
        assertThat(letter.getPayload(), containsString("\"table\":\"Calls\""));
        calls.add(letter.getTenantId() + "/" + letter.getCallId());
      }
      assertThat(calls, containsInAnyOrder("acme/c1", "globex/c3"));
      return null;
    });
    pipeline.run().waitUntilFinish();
  }

  @Test
  public void deadLettersATenantWhoseDatabaseTheJobDoesNotKnow() throws Exception {
    WithFailures.Result<PCollection<CallRecord>, DeadLetter> result = write(sink(null),
        SampleCalls.call("acme", "c1", 1), SampleCalls.call("globex", "c3", 1));
    PAssert.thatSingleton(result.failures()).satisfies(letter -> {
      assertEquals("STORE_DATABASE_NOT_IN_JOB", letter.getErrorCode());
      assertEquals("acme", letter.getTenantId());
      assertEquals("c1", letter.getCallId());
      assertEquals("CallRecord", letter.getPayloadType());
      return null;
    });
    PAssert.thatSingleton(result.output()).satisfies(call -> {
      assertEquals("globex", call.getTenantId());
      return null;
    });
    pipeline.run().waitUntilFinish();
  }
}
