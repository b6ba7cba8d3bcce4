package dev.parley.transforms;

import dev.parley.model.AudioArrival;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.Rule;
import org.junit.Test;

public class DedupeTest {
  @Rule public final transient TestPipeline pipeline = TestPipeline.create();

  private static AudioArrival arrival(String uri, long generation, String eventId) {
    return AudioArrival.builder().setCallId(CallIds.forObject(uri, generation)).setTenantId("acme")
        .setSourceUri(uri).setObjectGeneration(generation).setEventId(eventId).setSizeBytes(1)
        .setEventTime(Instant.EPOCH).build();
  }

  @Test
  public void letsOneArrivalPerCallIdThroughInBatch() {
    PCollection<String> out = pipeline
        .apply(Create.of(
            arrival("gs://b/1.wav", 1, "m1"), arrival("gs://b/1.wav", 1, "m1-redelivered"),
            arrival("gs://b/1.wav", 2, "m2"), arrival("gs://b/2.wav", 1, "m3"), arrival("gs://b/2.wav", 1, "m3")))
        .apply(Dedupe.byCallId())
        .apply(MapElements.into(TypeDescriptors.strings()).via(a -> a.getSourceUri() + "#" + a.getObjectGeneration()));
    PAssert.that(out).containsInAnyOrder("gs://b/1.wav#1", "gs://b/1.wav#2", "gs://b/2.wav#1");
    pipeline.run().waitUntilFinish();
  }

  @Test
  public void dropsARedeliveryThatArrivesMinutesLaterInStreaming() throws Exception {
    TestStream<AudioArrival> events = TestStream.create(pipeline.getSchemaRegistry().getSchemaCoder(AudioArrival.class))
        .addElements(arrival("gs://b/1.wav", 1, "m1"))
        .advanceProcessingTime(Duration.standardMinutes(5))
        .addElements(arrival("gs://b/1.wav", 1, "m1"), arrival("gs://b/3.wav", 1, "m4"))
        .advanceProcessingTime(Duration.standardMinutes(5))
        .addElements(arrival("gs://b/3.wav", 1, "m4"))
        .advanceWatermarkToInfinity();
    PCollection<String> out = pipeline.apply(events)
        .apply(Dedupe.byCallId())
        .apply(MapElements.into(TypeDescriptors.strings()).via(AudioArrival::getSourceUri));
    PAssert.that(out).containsInAnyOrder("gs://b/1.wav", "gs://b/3.wav");
    pipeline.run().waitUntilFinish();
  }

  @Test
  public void letsAReplayOfASeenCallThroughOncePerDeadLetter() {
    AudioArrival first = arrival("gs://b/1.wav", 1, "m1");
    AudioArrival replay = first.toBuilder().setReplayOf("dl-1").build();
    PCollection<String> out = pipeline
        .apply(Create.of(first, replay, replay, first.toBuilder().setReplayOf("dl-2").build()))
        .apply(Dedupe.byCallId())
        .apply(MapElements.into(TypeDescriptors.strings()).via(a -> a.getCallId() + "#" + a.getReplayOf()));
    String call = first.getCallId();
    PAssert.that(out).containsInAnyOrder(call + "#null", call + "#dl-1", call + "#dl-2");
    pipeline.run().waitUntilFinish();
  }
}
