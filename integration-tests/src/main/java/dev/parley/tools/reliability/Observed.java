package dev.parley.tools.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.emulator.gemini.RecordedRequest;
import java.util.List;
import java.util.Map;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * What the scenario's stand-ins and store hold at one moment: the calls Spanner committed, the dead letters,
 * each tenant's verified webhook deliveries and refused signatures, and the model requests.
 */
record Observed(
    List<StoredCall> stored,
    List<JsonNode> deadLetters,
    Map<String, List<Delivery>> deliveries,
    Map<String, Integer> refusedSignatures,
    List<RecordedRequest> modelRequests) {

  /** A {@code Calls} row as committed. */
  record StoredCall(String tenant, String callId, String sourceUri, @Nullable String audioSha256) {}

  /** A verified delivery at a tenant's endpoint: the tenant and call its body names. */
  record Delivery(String tenantId, String callId, String body) {}
}
