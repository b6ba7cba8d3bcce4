package dev.parley.transforms.spanner;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.google.cloud.spanner.Key;
import com.google.cloud.spanner.KeyRange;
import com.google.cloud.spanner.Mutation;
import dev.parley.model.CalendarAttendee;
import dev.parley.model.CalendarMatch;
import dev.parley.model.CallRecord;
import dev.parley.model.Transcript;
import dev.parley.model.TranscriptSegment;
import dev.parley.transforms.store.CallRows;
import dev.parley.transforms.store.LocalStoreTest;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.io.gcp.spanner.MutationGroup;
import org.joda.time.Instant;
import org.junit.Test;

public class StoreMutationsTest {
  private static CallRecord withSegments(List<TranscriptSegment> segments) {
    CallRecord call = LocalStoreTest.record("c1", 0);
    Transcript t = call.getTranscript();
    return call.toBuilder().setTranscript(Transcript.builder().setSegments(segments).setLanguage(t.getLanguage())
        .setSummary(t.getSummary()).setModel(t.getModel()).setInputTokens(1).setOutputTokens(1).build()).build();
  }

  @Test
  public void aShortCallIsOneCommitWithEveryTableAndNullsTyped() {
    List<MutationGroup> groups = StoreMutations.forCall(LocalStoreTest.record("c1", 3));
    assertEquals(1, groups.size());
    MutationGroup group = groups.get(0);
    assertEquals(CallRows.CALLS, group.primary().getTable());
    List<String> tables = new ArrayList<>();
    group.forEach(m -> tables.add(m.getTable() + ":" + m.getOperation()));
    assertEquals(List.of("Calls:INSERT_OR_UPDATE", "TenantUsage:INSERT_OR_UPDATE", "TranscriptSegments:DELETE",
        "TranscriptSegments:INSERT_OR_UPDATE", "TranscriptSegments:INSERT_OR_UPDATE", "TranscriptSegments:INSERT_OR_UPDATE"),
        tables);
    assertTrue("metadata absent: written as typed nulls", group.primary().asMap().get("FromNumber").isNull());
  }

  @Test
  public void aCallsMeetingAndItsAttendeesGoInItsFirstCommitReplacingStaleAttendees() {
    CallRecord call = LocalStoreTest.record("c1", 1);
    Instant start = call.getArrivedAt();
    call = call.toBuilder().setCalendar(CalendarMatch.builder().setStatus(CalendarMatch.AMBIGUOUS_RESOLVED)
        .setCalendarId("dana@acme.example").setCallStartTime(start).setEventId("e1").setTitle("Demo")
        .setAttendees(List.of(CalendarAttendee.of("dana@acme.example", "Dana", "accepted", true, false),
            CalendarAttendee.of("pat@customer.example", null, "needsAction", false, true)))
        .setExternalAttendeeCount(1).setCandidateCount(2).setDecidedBy("MOST_EXTERNAL_ATTENDEES").build()).build();

    MutationGroup group = StoreMutations.forCall(call).get(0);

    List<String> tables = new ArrayList<>();
    group.forEach(m -> tables.add(m.getTable() + ":" + m.getOperation()));
    assertEquals(List.of("Calls:INSERT_OR_UPDATE", "TenantUsage:INSERT_OR_UPDATE", "TranscriptSegments:DELETE",
        "CalendarMatches:INSERT_OR_UPDATE", "CalendarAttendees:DELETE", "CalendarAttendees:INSERT_OR_UPDATE",
        "CalendarAttendees:INSERT_OR_UPDATE", "TranscriptSegments:INSERT_OR_UPDATE"), tables);
    Mutation match = group.attached().get(2);
    assertEquals("AMBIGUOUS_RESOLVED", match.asMap().get("Status").getString());
    assertEquals(2, match.asMap().get("CandidateCount").getInt64());
    assertTrue(match.asMap().get("Reason").isNull());
    KeyRange stale = group.attached().get(3).getKeySet().getRanges().iterator().next();
    assertEquals("the stale attendees start after the two written", Key.of("acme", "c1", 2L), stale.getStart());
  }

  @Test
  public void aCallOfATenantWithoutCalendarEnrichmentWritesNoMeeting() {
    List<String> tables = new ArrayList<>();
    StoreMutations.forCall(LocalStoreTest.record("c1", 1)).get(0).forEach(m -> tables.add(m.getTable()));
    assertTrue(tables.stream().noneMatch(t -> t.startsWith("Calendar")));
  }

  @Test
  public void aVeryLongTurnIsSplitIntoRowsAndALongTranscriptIntoSeveralCommits() {
    List<TranscriptSegment> segments = new ArrayList<>();
    segments.add(TranscriptSegment.of("Agent", 0, 1000, "x".repeat(600_000)));
    for (int i = 1; i < 4000; i++) {
      segments.add(TranscriptSegment.of("Customer", i * 1000L, i * 1000L + 900, "turn " + i));
    }
    List<MutationGroup> groups = StoreMutations.forCall(withSegments(segments));
    assertThat(groups.size(), greaterThan(1));
    long rows = 0;
    for (MutationGroup group : groups) {
      assertEquals("each commit holds the parent row", CallRows.CALLS, group.primary().getTable());
      long cells = 0;
      for (Mutation m : group) {
        cells += m.getOperation() == Mutation.Op.DELETE ? 1 : m.asMap().size();
        if (m.getTable().equals(CallRows.SEGMENTS) && m.getOperation() != Mutation.Op.DELETE) {
          rows++;
          assertThat(m.asMap().get("Text").getString().length(), lessThanOrEqualTo(256 * 1024));
        }
      }
      assertThat(cells, lessThanOrEqualTo((long) StoreMutations.MAX_CELLS_PER_GROUP));
    }
    assertEquals("the 600k-character turn takes three rows", 4002, rows);
  }
}
