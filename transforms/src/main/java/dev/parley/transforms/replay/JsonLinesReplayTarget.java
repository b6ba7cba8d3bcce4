package dev.parley.transforms.replay;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.util.MimeTypes;

/**
 * Writes replay events to one JSON Lines file (local or gs://), each line a message as Pub/Sub's publish API takes
 * it ({@code {"data": base64, "attributes": {...}}}): to look at, or to publish later with any client.
 */
public final class JsonLinesReplayTarget implements ReplayTarget {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final String file;

  public JsonLinesReplayTarget(String file) {
    this.file = file;
  }

  @Override
  public void send(List<ReplayEvent> events) throws IOException {
    try (OutputStream out = Channels.newOutputStream(
        FileSystems.create(FileSystems.matchNewResource(file, false), MimeTypes.TEXT))) {
      for (ReplayEvent event : events) {
        ObjectNode line = JSON.createObjectNode().put("data", Base64.getEncoder().encodeToString(event.data()));
        event.attributes().forEach(line.putObject("attributes")::put);
        out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
      }
    }
  }

  @Override
  public String describe() {
    return "file " + file;
  }
}
