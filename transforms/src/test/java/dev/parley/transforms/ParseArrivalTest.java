package dev.parley.transforms;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import dev.parley.model.AudioArrival;
import dev.parley.model.DeadLetter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.MetadataCoderV2;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.WithFailures;
import org.apache.beam.sdk.values.PCollection;
import org.junit.Rule;
import org.junit.Test;

public class ParseArrivalTest {
  @Rule public final transient TestPipeline pipeline = TestPipeline.create();

  private static MatchResult.Metadata file(String uri, long size, long modified) {
    return MatchResult.Metadata.builder()
        .setResourceId(FileSystems.matchNewResource(uri, false))
        .setSizeBytes(size)
        .setIsReadSeekEfficient(true)
        .setLastModifiedMillis(modified)
        .build();
  }

  @Test
  public void takesTheTenantFromThePathAndRefusesUnsafeNames() {
    List<MatchResult.Metadata> files = new ArrayList<>(List.of(
        file("gs://drop/acme/2026/11/call-1.wav", 1000, 1_700_000_000_000L),
        file("gs://drop/globex/call-2.wav", 2000, 1_700_000_000_001L),
        file("gs://drop/acme/upload.wav.part", 10, 1),
        file("gs://drop/acme/.call.wav", 10, 1),
        file("gs://drop/acme/call.wav.json", 10, 1),
        file("gs://drop/acme/../globex/steal.wav", 10, 1),
        file("gs://drop/acme/bell\u0007.wav", 10, 1),
        file("gs://drop/acme/" + "x".repeat(1100) + ".wav", 10, 1),
        file("gs://drop/loose.wav", 10, 1)));

    WithFailures.Result<PCollection<AudioArrival>, DeadLetter> result = pipeline
        .apply(Create.of(files).withCoder(MetadataCoderV2.of()))
        .apply(ParseArrival.fromFiles(DropFolderLayout.at("gs://drop")));

    PAssert.that(result.output()).satisfies(arrivals -> {
      Map<String, AudioArrival> byUri = StreamSupport.stream(arrivals.spliterator(), false)
          .collect(Collectors.toMap(AudioArrival::getSourceUri, a -> a));
      assertEquals(2, byUri.size());
      AudioArrival acme = byUri.get("gs://drop/acme/2026/11/call-1.wav");
      assertEquals("acme", acme.getTenantId());
      assertEquals(1000, acme.getSizeBytes());
      assertEquals(CallIds.forObject("gs://drop/acme/2026/11/call-1.wav", 1_700_000_000_000L), acme.getCallId());
      assertEquals("globex", byUri.get("gs://drop/globex/call-2.wav").getTenantId());
      return null;
    });
    PAssert.that(result.failures()).satisfies(letters -> {
      Map<String, Long> codes = StreamSupport.stream(letters.spliterator(), false)
          .collect(Collectors.groupingBy(DeadLetter::getErrorCode, Collectors.counting()));
      assertEquals(Map.of("PATH_INVALID", 3L, "PATH_OUTSIDE_TENANT_LAYOUT", 1L), codes);
      letters.forEach(l -> {
        assertEquals("ParseArrival", l.getStage());
        assertTrue(l.getPayload().contains("\"sizeBytes\":10"));
      });
      return null;
    });
    pipeline.run().waitUntilFinish();
  }

  @Test
  public void theSameObjectVersionAlwaysGetsTheSameCallId() {
    assertEquals(CallIds.forObject("gs://b/o.wav", 7), CallIds.forObject("gs://b/o.wav", 7));
    assertTrue(!CallIds.forObject("gs://b/o.wav", 7).equals(CallIds.forObject("gs://b/o.wav", 8)));
    assertEquals(33, CallIds.forObject("gs://b/o.wav", 7).length());
  }
}
