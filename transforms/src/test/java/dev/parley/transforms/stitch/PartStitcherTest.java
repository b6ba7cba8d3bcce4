package dev.parley.transforms.stitch;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;

import dev.parley.model.AudioArrival;
import dev.parley.model.AudioInfo;
import dev.parley.model.AudioPart;
import dev.parley.model.CallRecord;
import dev.parley.model.TimeSpan;
import dev.parley.model.Transcript;
import dev.parley.model.TranscriptSegment;
import java.util.List;
import org.joda.time.Instant;
import org.junit.Test;

public class PartStitcherTest {
  private static final AudioArrival CALL = AudioArrival.builder().setCallId("c1").setTenantId("acme")
      .setSourceUri("gs://b/call.wav").setSizeBytes(1).setEventTime(Instant.EPOCH).build();
  private static final AudioInfo ORIGINAL = AudioInfo.builder().setFormat("WAV").setCodec("MULAW")
      .setMimeType("audio/wav").setDurationMillis(200_000).setSampleRateHz(8000).setChannels(1).build();

  /** Part {@code index} sending original [from, to) with nothing trimmed, owning [ownedFrom, ownedTo). */
  private static CallRecord part(int index, long from, long to, long ownedFrom, long ownedTo, Double cost,
      TranscriptSegment... segments) {
    AudioPart part = AudioPart.builder().setParentArrival(CALL).setParentAudio(ORIGINAL).setChannelRole(null)
        .setChunkIndex(index).setChunkCount(2).setPartCount(2).setOwnedFromMillis(ownedFrom).setOwnedToMillis(ownedTo)
        .setTimeMap(List.of(TimeSpan.of(0, from, to - from))).build();
    return CallRecord.builder().setTenantId("acme").setCallId("c1-mix-" + index).setSourceUri("/work/" + index)
        .setAudio(AudioInfo.builder().setFormat("WAV").setCodec("PCM_S16LE").setMimeType("audio/wav")
            .setDurationMillis(to - from).setSampleRateHz(8000).setChannels(1).build())
        .setTranscript(Transcript.builder().setSegments(List.of(segments)).setModel("gemini/m").setInputTokens(10)
            .setOutputTokens(5).setSummary("Part " + index + ".").build())
        .setEngine("gemini").setStatus(CallRecord.STATUS_TRANSCRIBED).setEstimatedCostUsd(cost)
        .setArrivedAt(Instant.EPOCH).setProcessedAt(Instant.EPOCH.plus(index)).setPart(part).build();
  }

  @Test
  public void mapsTimesBackKeepsSeamWordsOnceAndAlignsSpeakers() {
    // Cut at 100 s; each chunk also heard 5 s beyond it. Times in each part's own clock.
    CallRecord first = part(0, 0, 105_000, 0, 100_000, 0.01,
        TranscriptSegment.of("Speaker 1", 1_000, 40_000, "Hello, thanks for calling."),
        TranscriptSegment.of("Speaker 2", 90_000, 99_000, "I would like to cancel my order please."),
        TranscriptSegment.of("Speaker 1", 101_000, 104_000, "Of course."));
    CallRecord second = part(1, 95_000, 200_000, 100_000, 200_000, 0.02,
        TranscriptSegment.of("Speaker 2", 0, 3_000, "Cancel my order please."), // twin of the first's, cut short
        TranscriptSegment.of("Speaker 1", 4_000, 9_000, "Of course, which order is it?"),
        TranscriptSegment.of("Speaker 2", 20_000, 30_000, "Number twelve."));
    CallRecord call = PartStitcher.stitch(List.of(second, first));

    List<TranscriptSegment> segments = call.getTranscript().getSegments();
    assertEquals(4, segments.size());
    assertEquals(TranscriptSegment.of("Speaker 1", 1_000, 40_000, "Hello, thanks for calling."), segments.get(0));
    assertEquals("I would like to cancel my order please.", segments.get(1).getText());
    // Each chunk keeps what is said on its side of the cut: "Cancel my order please." (96.5 s) is the first's,
    // "Of course." (102.5 s) the second's, which heard the whole sentence.
    assertEquals(TranscriptSegment.of("Speaker 1", 99_000, 104_000, "Of course, which order is it?"), segments.get(2));
    assertEquals(TranscriptSegment.of("Speaker 2", 115_000, 125_000, "Number twelve."), segments.get(3));
    assertEquals("c1", call.getCallId());
    assertEquals("gs://b/call.wav", call.getSourceUri());
    assertEquals(200_000L, (long) call.getRawAudioMillis());
    assertEquals(210_000L, (long) call.getBilledAudioMillis());
    assertEquals(0.03, call.getEstimatedCostUsd(), 1e-9);
    assertEquals(20, call.getTranscript().getInputTokens());
    assertEquals("Part 0. Part 1.", call.getTranscript().getSummary());
    assertNull(call.getPart());
    assertNull(call.getAudioSha256());
  }

  @Test
  public void aChunkThatNamesTheSpeakersTheOtherWayRoundIsRelabelled() {
    CallRecord first = part(0, 0, 105_000, 0, 100_000, null,
        TranscriptSegment.of("Speaker 1", 80_000, 99_000, "So the parcel never arrived at all."));
    CallRecord second = part(1, 95_000, 200_000, 100_000, 200_000, 0.02,
        TranscriptSegment.of("Speaker 2", 4_000, 9_000, "The parcel never arrived at all, and I want a refund."),
        TranscriptSegment.of("Speaker 1", 10_000, 20_000, "I am sorry to hear that."));
    CallRecord call = PartStitcher.stitch(List.of(first, second));
    List<TranscriptSegment> segments = call.getTranscript().getSegments();
    assertEquals(List.of("Speaker 1", "Speaker 1", "Speaker 2"),
        segments.stream().map(TranscriptSegment::getSpeaker).toList());
    assertEquals("and I want a refund.", segments.get(1).getText());
    assertNull("a part without a price leaves the call unpriced", call.getEstimatedCostUsd());
  }
}
