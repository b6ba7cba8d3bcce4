package dev.parley.transforms;

import static org.junit.Assert.assertEquals;

import dev.parley.model.AudioArrival;
import dev.parley.model.DeadLetter;
import dev.parley.model.ProbedAudio;
import dev.parley.tenant.TenantConfigSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.WithFailures;
import org.apache.beam.sdk.values.PCollection;
import org.joda.time.Instant;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class ProbeAudioTest {
  @Rule public final transient TestPipeline pipeline = TestPipeline.create();
  @Rule public final transient TemporaryFolder tmp = new TemporaryFolder();

  private AudioArrival write(String name, byte[] bytes) throws Exception {
    Path file = tmp.getRoot().toPath().resolve(name);
    Files.write(file, bytes);
    return AudioArrival.builder().setCallId(CallIds.forObject(file.toString(), 1)).setTenantId("acme")
        .setSourceUri(file.toString()).setSizeBytes(bytes.length).setEventTime(Instant.EPOCH).build();
  }

  @Test
  public void describesGoodRecordingsAndDeadLettersTheRest() throws Exception {
    TenantConfigSpec tenants = TestTenants.write(tmp.newFolder("config").toPath()); // maxAudioSeconds: 60
    byte[] good = TestWavs.wav(1, 1, 8000, 16, 8000 * 30);
    List<AudioArrival> arrivals = new ArrayList<>(List.of(
        write("good.wav", good),
        write("telephony.wav", TestWavs.wav(7, 2, 8000, 8, 8000 * 5)),
        write("long.wav", TestWavs.wav(1, 1, 8000, 16, 8000 * 61)),
        write("truncated.wav", java.util.Arrays.copyOf(good, 1000)),
        write("empty.wav", new byte[0]),
        write("flac.wav", "fLaC-not-really-a-flac-stream".getBytes()),
        write("text.wav", "just some text".getBytes())));
    AudioArrival missing = arrivals.get(0).toBuilder().setSourceUri(tmp.getRoot() + "/gone.wav").build();
    arrivals.add(missing);

    WithFailures.Result<PCollection<ProbedAudio>, DeadLetter> result =
        pipeline.apply(Create.of(arrivals)).apply(ProbeAudio.using(tenants));

    PAssert.that(result.output()).satisfies(out -> {
      Map<String, ProbedAudio> byName = StreamSupport.stream(out.spliterator(), false)
          .collect(Collectors.toMap(p -> Path.of(p.getArrival().getSourceUri()).getFileName().toString(), p -> p));
      assertEquals(2, byName.size());
      assertEquals(30_000, byName.get("good.wav").getAudio().getDurationMillis());
      assertEquals("MULAW", byName.get("telephony.wav").getAudio().getCodec());
      assertEquals(2, byName.get("telephony.wav").getAudio().getChannels());
      return null;
    });
    PAssert.that(result.failures()).satisfies(out -> {
      Map<String, String> codes = StreamSupport.stream(out.spliterator(), false).collect(Collectors.toMap(
          l -> Path.of(l.getSourceUri()).getFileName().toString(), DeadLetter::getErrorCode));
      assertEquals(Map.of(
          "long.wav", "AUDIO_TOO_LONG",
          "truncated.wav", "AUDIO_TRUNCATED",
          "empty.wav", "AUDIO_EMPTY",
          "flac.wav", "AUDIO_TRUNCATED", // a FLAC marker, then not even a whole STREAMINFO block
          "text.wav", "AUDIO_UNSUPPORTED_FORMAT",
          "gone.wav", "AUDIO_READ_FAILED"), codes);
      return null;
    });
    pipeline.run().waitUntilFinish();
  }
}
