package dev.parley.transforms.replay;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import dev.parley.model.AudioArrival;
import dev.parley.model.DeadLetter;
import dev.parley.model.ErrorCode;
import dev.parley.transforms.CallIds;
import dev.parley.transforms.deadletter.DeadLetters;
import dev.parley.transforms.deadletter.PayloadEncoder;
import java.util.List;
import org.apache.beam.sdk.schemas.SchemaRegistry;
import org.joda.time.Instant;
import org.junit.Test;

/** What a replay selects by default and on request, and one event per call. */
public class ReplaySelectionTest {
  private static DeadLetter letter(String tenant, ErrorCode code, String failedAt) {
    return DeadLetter.builder().setStage("Transcribe").setErrorCode(code.name()).setMessage("m").setTenantId(tenant)
        .setFailedAt(Instant.parse(failedAt)).setPayloadType("AudioArrival").setPayload("{}").build();
  }

  private static DeadLetter failedAt(DeadLetter letter, String time) {
    return DeadLetter.builder().setStage(letter.getStage()).setErrorCode(letter.getErrorCode())
        .setMessage(letter.getMessage()).setTenantId(letter.getTenantId()).setSourceUri(letter.getSourceUri())
        .setCallId(letter.getCallId()).setFailedAt(Instant.parse(time)).setPayloadType(letter.getPayloadType())
        .setPayload(letter.getPayload()).build();
  }

  @Test
  public void theDefaultTakesPassingFailuresAndLeavesTheOnesThatWouldFailAgain() {
    ReplaySelection defaults = ReplaySelection.of(null, List.of(), List.of(), null, null);

    for (ErrorCode code : List.of(ErrorCode.MODEL_UNAVAILABLE, ErrorCode.MODEL_RATE_LIMITED,
        ErrorCode.QUOTA_EXHAUSTED_DAILY, ErrorCode.QUOTA_DEFERRED, ErrorCode.STORE_WRITE_FAILED,
        ErrorCode.CRM_UNAVAILABLE, ErrorCode.AUDIO_READ_FAILED, ErrorCode.SECRET_UNAVAILABLE)) {
      assertTrue(code.name(), defaults.matches(letter("acme-sales", code, "2026-11-25T00:00:00Z")));
    }
    for (ErrorCode code : List.of(ErrorCode.PATH_INVALID, ErrorCode.AUDIO_CORRUPT, ErrorCode.AUDIO_TRUNCATED,
        ErrorCode.EVENT_MALFORMED, ErrorCode.TENANT_MISMATCH, ErrorCode.MODEL_BAD_REQUEST, ErrorCode.MODEL_BLOCKED,
        ErrorCode.CRM_REJECTED, ErrorCode.INTERNAL)) {
      assertFalse(code.name(), defaults.matches(letter("acme-sales", code, "2026-11-25T00:00:00Z")));
    }
  }

  @Test
  public void aNamedCodeTenantAndTimeRangeNarrowTheSelection() {
    ReplaySelection selection = ReplaySelection.of("acme-sales", List.of("AUDIO_CORRUPT"), List.of("Transcribe"),
        Instant.parse("2026-11-25T00:00:00Z"), Instant.parse("2026-11-26T00:00:00Z"));

    assertTrue(selection.matches(letter("acme-sales", ErrorCode.AUDIO_CORRUPT, "2026-11-25T10:00:00Z")));
    assertFalse("other tenant", selection.matches(letter("initech", ErrorCode.AUDIO_CORRUPT, "2026-11-25T10:00:00Z")));
    assertFalse("other code", selection.matches(letter("acme-sales", ErrorCode.MODEL_UNAVAILABLE, "2026-11-25T10:00:00Z")));
    assertFalse("before", selection.matches(letter("acme-sales", ErrorCode.AUDIO_CORRUPT, "2026-11-24T23:59:59Z")));
    assertFalse("at the end", selection.matches(letter("acme-sales", ErrorCode.AUDIO_CORRUPT, "2026-11-26T00:00:00Z")));
  }

  @Test
  public void aMistypedCodeIsRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ReplaySelection.of(null, List.of("MODEL_UNAVAILBLE"), List.of(), null, null));
    assertTrue(e.getMessage(), e.getMessage().contains("unknown error code MODEL_UNAVAILBLE"));
  }

  @Test
  public void aCallWithSeveralDeadLettersIsReplayedOnceFromItsLatest() throws Exception {
    String uri = "/data/drop/acme-sales/call.wav";
    AudioArrival arrival = AudioArrival.builder().setCallId(CallIds.forObject(uri, 1_000)).setTenantId("acme-sales")
        .setSourceUri(uri).setSizeBytes(10).setEventTime(new Instant(1_000)).build();
    PayloadEncoder<AudioArrival> encoder = PayloadEncoder.forType(SchemaRegistry.createDefault(), AudioArrival.class);
    DeadLetter early = failedAt(DeadLetters.of("ProbeAudio", ErrorCode.AUDIO_READ_FAILED, "m", arrival, 1, encoder,
        arrival), "2026-11-25T10:00:00Z");
    DeadLetter late = failedAt(DeadLetters.of("StitchChunks", ErrorCode.AUDIO_PARTS_MISSING, "m", arrival, 1, encoder,
        arrival), "2026-11-25T11:00:00Z");
    DeadLetter corrupt = failedAt(DeadLetters.of("ProbeAudio", ErrorCode.AUDIO_CORRUPT, "m", arrival, 1, encoder,
        arrival), "2026-11-25T12:00:00Z");

    ReplayPlan plan = ReplayPlan.of(new DeadLetterFiles.Contents(List.of(early, late, corrupt), List.of()),
        ReplaySelection.of(null, List.of(), List.of(), null, null));

    assertEquals(3, plan.read());
    assertEquals("the corrupt one is not replayed by default", 2, plan.selected());
    assertEquals(1, plan.events().size());
    assertEquals(late, plan.events().get(0).origin());
  }
}
