package dev.parley.transforms.replay;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.io.gcp.pubsub.PubsubClient;
import org.apache.beam.sdk.io.gcp.pubsub.PubsubJsonClient;
import org.apache.beam.sdk.io.gcp.pubsub.PubsubMessage;
import org.apache.beam.sdk.io.gcp.pubsub.PubsubOptions;

/**
 * Publishes replay events to a topic with Beam's own Pub/Sub client, the one {@code PubsubIO} uses, so
 * {@code --pubsubRootUrl} and the credential options mean what they mean for the job.
 */
public final class PubsubReplayTarget implements ReplayTarget {
  /** Pub/Sub takes up to 1,000 messages and 10 MB a publish request; events are small. */
  static final int BATCH = 100;

  private final String topic;
  private final PubsubOptions options;

  public PubsubReplayTarget(String topic, PubsubOptions options) {
    this.topic = topic;
    this.options = options;
  }

  @Override
  public void send(List<ReplayEvent> events) throws IOException {
    PubsubClient.TopicPath path = PubsubClient.topicPathFromPath(topic);
    try (PubsubClient client = PubsubJsonClient.FACTORY.newClient(null, null, options)) {
      for (int from = 0; from < events.size(); from += BATCH) {
        List<PubsubClient.OutgoingMessage> batch = new ArrayList<>();
        for (ReplayEvent event : events.subList(from, Math.min(events.size(), from + BATCH))) {
          batch.add(PubsubClient.OutgoingMessage.of(new PubsubMessage(event.data(), event.attributes()),
              System.currentTimeMillis(), null, null));
        }
        client.publish(path, batch);
      }
    }
  }

  @Override
  public String describe() {
    return "Pub/Sub topic " + topic;
  }
}
