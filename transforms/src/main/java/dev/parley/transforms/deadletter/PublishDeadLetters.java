package dev.parley.transforms.deadletter;

import dev.parley.model.DeadLetter;
import dev.parley.transforms.store.CallRows;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.beam.sdk.io.gcp.pubsub.PubsubIO;
import org.apache.beam.sdk.io.gcp.pubsub.PubsubMessage;
import org.apache.beam.sdk.io.gcp.pubsub.PubsubMessageWithAttributesCoder;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PDone;
import org.apache.beam.sdk.values.TypeDescriptor;

/**
 * Publishes every dead letter to a Pub/Sub topic: the message is the dead letter's row of the {@code dead_letters}
 * table as JSON (what {@code parley dlq replay} reads), with attributes {@code tenantId}, {@code errorCode} and
 * {@code stage}, so a subscription can filter (e.g. {@code attributes.errorCode = "QUOTA_EXHAUSTED_DAILY"}).
 */
public final class PublishDeadLetters extends PTransform<PCollection<DeadLetter>, PDone> {
  private final String topic;

  private PublishDeadLetters(String topic) {
    this.topic = topic;
  }

  /** {@code topic} is {@code projects/P/topics/T}. */
  public static PublishDeadLetters to(String topic) {
    return new PublishDeadLetters(topic);
  }

  @Override
  public PDone expand(PCollection<DeadLetter> letters) {
    return letters
        .apply("ToMessages", MapElements.into(TypeDescriptor.of(PubsubMessage.class)).via(PublishDeadLetters::message))
        .setCoder(PubsubMessageWithAttributesCoder.of())
        .apply("Publish", PubsubIO.writeMessages().to(topic));
  }

  static PubsubMessage message(DeadLetter letter) {
    Map<String, String> attributes = new LinkedHashMap<>();
    if (letter.getTenantId() != null) {
      attributes.put("tenantId", letter.getTenantId());
    }
    attributes.put("errorCode", letter.getErrorCode());
    attributes.put("stage", letter.getStage());
    byte[] row = CallRows.deadLetter(letter).toJson().toString().getBytes(StandardCharsets.UTF_8);
    return new PubsubMessage(row, attributes);
  }
}
