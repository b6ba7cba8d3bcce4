package dev.parley.transforms;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.model.AudioArrival;
import dev.parley.model.CallMetadata;
import dev.parley.transforms.arrival.CallMetadataJson;
import dev.parley.transforms.arrival.PubsubArrivals;
import dev.parley.transforms.logging.KeyValuesInMdc;
import dev.parley.transforms.metrics.StageMetrics;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.file.NoSuchFileException;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives a call the metadata of its sidecar ({@code {object}.json}, e.g. written by the email gateway or a phone
 * system next to the recording) when its arrival brought none. A missing sidecar is the common case and costs
 * one failed lookup; an unreadable or malformed one is logged and counted, and the call goes on without it:
 * metadata improves a call, it never decides whether it is processed.
 */
public final class ReadSidecar extends PTransform<PCollection<AudioArrival>, PCollection<AudioArrival>> {
  static final String STAGE = "ReadSidecar";

  public static ReadSidecar whenMetadataIsMissing() {
    return new ReadSidecar();
  }

  @Override
  public PCollection<AudioArrival> expand(PCollection<AudioArrival> arrivals) {
    return arrivals.apply("Read", ParDo.of(new ReadFn())).setCoder(arrivals.getCoder());
  }

  static final class ReadFn extends DoFn<AudioArrival, AudioArrival> {
    private static final Logger LOG = LoggerFactory.getLogger(ReadFn.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private final StageMetrics metrics = new StageMetrics(STAGE);

    @ProcessElement
    public void process(@Element AudioArrival arrival, OutputReceiver<AudioArrival> out) {
      if (arrival.getMetadata() != null) {
        out.output(arrival);
        return;
      }
      String sidecar = arrival.getSourceUri() + ".json";
      try (InputStream in = Channels.newInputStream(FileSystems.open(FileSystems.matchNewResource(sidecar, false)))) {
        byte[] bytes = in.readNBytes(PubsubArrivals.MAX_EVENT_BYTES + 1);
        if (bytes.length > PubsubArrivals.MAX_EVENT_BYTES) {
          throw new IOException("sidecar is larger than " + PubsubArrivals.MAX_EVENT_BYTES + " bytes");
        }
        JsonNode json = JSON.readTree(bytes);
        CallMetadata metadata = CallMetadataJson.fromSidecar(json);
        metrics.incTenant(metadata == null ? "sidecars_empty" : "sidecars_read", arrival.getTenantId(), 1);
        out.output(metadata == null ? arrival : arrival.toBuilder().setMetadata(metadata).build());
      } catch (FileNotFoundException | NoSuchFileException e) {
        out.output(arrival);
      } catch (IOException | RuntimeException e) {
        metrics.incTenant("sidecars_unreadable", arrival.getTenantId(), 1);
        KeyValuesInMdc.forCall(LOG.atWarn(), arrival.getTenantId(), arrival.getCallId()).addKeyValue("stage", STAGE)
            .log("sidecar {} ignored: {}", sidecar, e.getClass().getSimpleName() + ": " + e.getMessage());
        out.output(arrival);
      }
    }
  }
}
