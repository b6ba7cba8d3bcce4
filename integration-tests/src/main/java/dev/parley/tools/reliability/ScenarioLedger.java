package dev.parley.tools.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.emulator.gemini.RecordedRequest;
import dev.parley.tools.reliability.Observed.Delivery;
import dev.parley.tools.reliability.Observed.StoredCall;
import dev.parley.transforms.arrival.PubsubArrivals;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Settles every input against what was observed: stored (its recording has a {@code Calls} row), dead-lettered,
 * or lost; written twice (two call ids for one recording, a row and a dead letter, two CRM deliveries); and
 * whether anything crossed tenants. A dead letter is matched to its input by the Pub/Sub message it carries,
 * else by the event id in its payload, else by its recording's location.
 */
final class ScenarioLedger {
  private static final ObjectMapper JSON = new ObjectMapper();
  static final Pattern MARKER = Pattern.compile("Tenant marker: ([a-z0-9-]+)\\.");

  private final List<ScenarioInput> inputs;
  /** Tenants whose calls go to a webhook; the others have no CRM. */
  private final Set<String> webhookTenants;
  /** Gemini API key, or {@code vertex:<project>}, to the tenant it belongs to. */
  private final Map<String, String> credentialOwners;

  ScenarioLedger(List<ScenarioInput> inputs, Set<String> webhookTenants, Map<String, String> credentialOwners) {
    this.inputs = inputs;
    this.webhookTenants = webhookTenants;
    this.credentialOwners = credentialOwners;
  }

  /** The outcome of one input. */
  record Outcome(ScenarioInput input, Set<String> callIds, List<String> codes, int crmDeliveries) {
    boolean stored() {
      return !callIds.isEmpty();
    }

    boolean deadLettered() {
      return !codes.isEmpty();
    }

    boolean asExpected() {
      return input.good() ? stored() && !deadLettered() : !stored() && codes.contains(input.expectedCode());
    }
  }

  /** The figures of one settlement. */
  record Settlement(
      List<Outcome> outcomes,
      int stored,
      int deadLettered,
      int lost,
      int duplicated,
      int crmMissing,
      int crmDuplicated,
      int deadLetterRecords,
      List<String> unmatched,
      List<String> crossed,
      List<String> unexpected,
      Map<String, Integer> codes) {
    boolean complete() {
      return lost == 0 && crmMissing == 0 && unmatched.isEmpty();
    }
  }

  Settlement settle(Observed observed) {
    Map<String, ScenarioInput> byUri = new HashMap<>();
    Map<String, ScenarioInput> byEventId = new HashMap<>();
    for (ScenarioInput input : inputs) {
      if (input.ownsUri()) {
        byUri.put(input.sourceUri(), input);
      }
      if (input.eventId() != null) {
        byEventId.put(input.eventId(), input);
      }
    }
    Map<ScenarioInput, Set<String>> callIds = new LinkedHashMap<>();
    Map<ScenarioInput, List<String>> codes = new LinkedHashMap<>();
    List<String> unmatched = new ArrayList<>();
    List<String> crossed = new ArrayList<>();
    Map<String, StoredCall> callsById = new HashMap<>();

    for (StoredCall call : observed.stored()) {
      ScenarioInput input = byUri.get(call.sourceUri());
      if (input == null) {
        unmatched.add("stored call " + call.tenant() + "/" + call.callId() + " of no input");
        continue;
      }
      callIds.computeIfAbsent(input, i -> new HashSet<>()).add(call.callId());
      callsById.put(call.callId(), call);
      if (!call.tenant().equals(input.tenant())) {
        crossed.add("call " + call.callId() + " of " + input.tenant() + "'s recording stored as " + call.tenant() + "'s");
      }
    }
    Map<String, Integer> codeCounts = new TreeMap<>();
    for (JsonNode letter : observed.deadLetters()) {
      String code = letter.path("ErrorCode").asText();
      codeCounts.merge(code, 1, Integer::sum);
      ScenarioInput input = inputOf(letter, byUri, byEventId);
      if (input == null) {
        unmatched.add("dead letter " + code + " at " + letter.path("Stage").asText() + " of no input");
      } else {
        codes.computeIfAbsent(input, i -> new ArrayList<>()).add(code);
      }
    }
    crossed.addAll(crossedCredentials(observed, callsById));
    Map<String, Integer> deliveriesPerCall = deliveriesPerCall(observed, callsById, crossed);

    List<Outcome> outcomes = new ArrayList<>();
    int stored = 0;
    int deadLettered = 0;
    int lost = 0;
    int duplicated = 0;
    int crmMissing = 0;
    int crmDuplicated = 0;
    List<String> unexpected = new ArrayList<>();
    for (ScenarioInput input : inputs) {
      Set<String> ids = callIds.getOrDefault(input, Set.of());
      List<String> letters = codes.getOrDefault(input, List.of());
      int deliveries = ids.stream().mapToInt(id -> deliveriesPerCall.getOrDefault(id, 0)).sum();
      Outcome outcome = new Outcome(input, ids, letters, deliveries);
      outcomes.add(outcome);
      if (outcome.stored()) {
        stored++;
        if (ids.size() > 1 || outcome.deadLettered()) {
          duplicated++;
        }
        if (webhookTenants.contains(input.tenant())) {
          crmMissing += deliveries == 0 ? 1 : 0;
          crmDuplicated += Math.max(0, deliveries - ids.size());
        }
      } else if (outcome.deadLettered()) {
        deadLettered++;
      } else {
        lost++;
      }
      if ((outcome.stored() || outcome.deadLettered()) && !outcome.asExpected()) {
        unexpected.add(input.kind() + " (" + input.door() + ", " + printable(input.sourceUri()) + "): expected "
            + (input.good() ? "stored" : input.expectedCode()) + ", got "
            + (outcome.stored() ? "stored " + ids.size() + "x" : "") + (outcome.deadLettered() ? " " + letters : ""));
      }
    }
    return new Settlement(outcomes, stored, deadLettered, lost, duplicated + crmDuplicated, crmMissing, crmDuplicated,
        observed.deadLetters().size(), unmatched, crossed, unexpected, codeCounts);
  }

  /** Model requests made with one tenant's credentials for another's call, and rows whose audio was not sent with the row's tenant's credentials. */
  private List<String> crossedCredentials(Observed observed, Map<String, StoredCall> callsById) {
    List<String> crossed = new ArrayList<>();
    Map<String, Set<String>> digestsByTenant = new HashMap<>();
    for (RecordedRequest request : observed.modelRequests()) {
      String owner = credentialOwners.get(request.key());
      Matcher marker = MARKER.matcher(request.prompt());
      String promptTenant = marker.find() ? marker.group(1) : null;
      if (owner == null || !owner.equals(promptTenant)) {
        crossed.add("model request for " + promptTenant + "'s call made with credentials of " + owner);
      }
      if (owner != null) {
        digestsByTenant.computeIfAbsent(owner, t -> new HashSet<>()).addAll(request.audioSha256());
      }
    }
    for (StoredCall call : callsById.values()) {
      if (call.audioSha256() != null
          && !digestsByTenant.getOrDefault(call.tenant(), Set.of()).contains(call.audioSha256())) {
        crossed.add("call " + call.callId() + " of " + call.tenant() + " holds audio never sent with its credentials");
      }
    }
    return crossed;
  }

  private static Map<String, Integer> deliveriesPerCall(Observed observed, Map<String, StoredCall> callsById,
      List<String> crossed) {
    Map<String, Integer> perCall = new HashMap<>();
    observed.deliveries().forEach((receiver, deliveries) -> {
      for (Delivery delivery : deliveries) {
        StoredCall call = callsById.get(delivery.callId());
        if (!receiver.equals(delivery.tenantId()) || call == null || !call.tenant().equals(receiver)) {
          crossed.add("delivery of call " + delivery.callId() + " (tenant " + delivery.tenantId() + ") at "
              + receiver + "'s endpoint");
        }
        perCall.merge(delivery.callId(), 1, Integer::sum);
      }
    });
    observed.refusedSignatures().forEach((receiver, refused) -> {
      if (refused > 0) {
        crossed.add(refused + " deliveries at " + receiver + "'s endpoint signed with another secret");
      }
    });
    return perCall;
  }

  private @Nullable ScenarioInput inputOf(JsonNode letter, Map<String, ScenarioInput> byUri,
      Map<String, ScenarioInput> byEventId) {
    String payload = letter.path("Payload").asText("");
    if ("PubsubMessage".equals(letter.path("PayloadType").asText())) {
      return publishedAs(payload);
    }
    for (Map.Entry<String, ScenarioInput> event : byEventId.entrySet()) {
      if (payload.contains("\"" + event.getKey() + "\"")) {
        return event.getValue();
      }
    }
    return byUri.get(letter.path("SourceUri").asText(null));
  }

  private @Nullable ScenarioInput publishedAs(String payload) {
    try {
      JsonNode message = JSON.readTree(payload);
      byte[] data = Base64.getDecoder().decode(message.path("data").asText(""));
      Map<String, String> attributes = new HashMap<>();
      message.path("attributes").fields().forEachRemaining(e -> attributes.put(e.getKey(), e.getValue().asText()));
      for (ScenarioInput input : inputs) {
        if (input.eventData() != null
            && Arrays.equals(data, Arrays.copyOf(input.eventData(), Math.min(input.eventData().length, PubsubArrivals.MAX_EVENT_BYTES)))
            && attributes.entrySet().containsAll(input.eventAttributes().entrySet())) {
          return input;
        }
      }
      return null;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A location as a report may print it: control characters escaped, long names shortened. */
  static String printable(String uri) {
    String escaped = uri.replace("\n", "\\n");
    return escaped.length() > 120 ? escaped.substring(0, 50) + "..." + escaped.substring(escaped.length() - 50) : escaped;
  }
}
