package dev.parley.transforms.deadletter;

import static org.junit.Assert.assertEquals;

import dev.parley.model.DeadLetter;
import dev.parley.model.ErrorCode;
import dev.parley.transforms.replay.DeadLetterRow;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.beam.sdk.io.gcp.pubsub.PubsubMessage;
import org.junit.Test;

/** A dead letter on the topic is its dead_letters row, readable by replay, with attributes to filter on. */
public class PublishDeadLettersTest {
  @Test
  public void aMessageCarriesTheRowAndTheFilterAttributes() throws Exception {
    DeadLetter letter = DeadLetters.of("Transcribe", ErrorCode.QUOTA_EXHAUSTED_DAILY, "daily quota spent", "acme-sales",
        "gs://b/acme-sales/a.wav", "c123", 1, "ProbedAudio", "{\"arrival\":{}}");

    PubsubMessage message = PublishDeadLetters.message(letter);

    assertEquals(Map.of("tenantId", "acme-sales", "errorCode", "QUOTA_EXHAUSTED_DAILY", "stage", "Transcribe"),
        message.getAttributeMap());
    assertEquals(letter, DeadLetterRow.parse(new String(message.getPayload(), StandardCharsets.UTF_8)));
  }

  @Test
  public void aDeadLetterOfNoKnownTenantHasNoTenantAttribute() {
    DeadLetter letter = DeadLetters.of("ParseArrival", ErrorCode.EVENT_MALFORMED, "not JSON", null, 1, "PubsubMessage",
        "{}");

    assertEquals(Map.of("errorCode", "EVENT_MALFORMED", "stage", "ParseArrival"),
        PublishDeadLetters.message(letter).getAttributeMap());
  }
}
