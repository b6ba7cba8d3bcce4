package dev.parley.transforms.crm;

import dev.parley.model.CallMetadata;
import dev.parley.model.CallRecord;
import dev.parley.model.TranscriptSegment;
import dev.parley.tenant.TenantConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * What a CRM record says about a call, the same for every CRM: a title, a body with the summary, the action
 * items, the start of the transcript and a link to the whole call, and the customer's addresses to find the
 * contact by.
 */
final class CallText {
  static final int EXCERPT_CHARS = 1500;

  private CallText() {}

  static String title(CallRecord call) {
    CallMetadata metadata = call.getMetadata();
    String direction = metadata == null || metadata.getDirection() == null ? "" : capitalized(metadata.getDirection()) + " ";
    String customer = customerNumber(call);
    return direction + "call" + (customer == null ? "" : " with " + customer) + " (Parley)";
  }

  /** Summary, action items, transcript excerpt and link, in plain text, at most {@code maxChars}. */
  static String body(TenantConfig tenant, CallRecord call, int maxChars) {
    StringBuilder body = new StringBuilder();
    if (call.getTranscript().getSummary() != null) {
      body.append(call.getTranscript().getSummary()).append("\n\n");
    }
    if (!call.getTranscript().getActionItems().isEmpty()) {
      body.append("Action items:\n");
      call.getTranscript().getActionItems().forEach(item -> body.append("- ").append(item).append('\n'));
      body.append('\n');
    }
    String link = "Full call: " + link(tenant, call);
    StringBuilder excerpt = new StringBuilder("Transcript (start):\n");
    for (TranscriptSegment segment : call.getTranscript().getSegments()) {
      if (excerpt.length() > EXCERPT_CHARS) {
        excerpt.append("…\n");
        break;
      }
      excerpt.append(segment.getSpeaker()).append(": ").append(segment.getText()).append('\n');
    }
    int room = maxChars - body.length() - link.length() - 2;
    body.append(excerpt, 0, Math.max(0, Math.min(excerpt.length(), room))).append('\n').append(link);
    return body.length() > maxChars ? body.substring(0, maxChars) : body.toString();
  }

  /** The tenant's link template with the call filled in, else the recording itself. */
  static String link(TenantConfig tenant, CallRecord call) {
    String template = tenant.crm().callUrlTemplate();
    return template == null ? call.getSourceUri()
        : template.replace("{tenantId}", call.getTenantId()).replace("{callId}", call.getCallId());
  }

  static List<String> emails(CallRecord call) {
    CallMetadata metadata = call.getMetadata();
    return metadata == null || metadata.getParticipantEmails() == null ? List.of() : metadata.getParticipantEmails();
  }

  /** Phone spellings of the customer's number first (from on inbound calls, to on outbound), then the other. */
  static List<String> phoneVariants(CallRecord call) {
    CallMetadata metadata = call.getMetadata();
    List<String> variants = new ArrayList<>();
    if (metadata == null) {
      return variants;
    }
    boolean outbound = CallMetadata.OUTBOUND.equals(metadata.getDirection());
    for (String number : outbound ? new String[] {metadata.getToNumber(), metadata.getFromNumber()}
        : new String[] {metadata.getFromNumber(), metadata.getToNumber()}) {
      if (number != null) {
        PhoneVariants.of(number).stream().filter(v -> !variants.contains(v)).forEach(variants::add);
      }
    }
    return variants;
  }

  private static String customerNumber(CallRecord call) {
    CallMetadata metadata = call.getMetadata();
    if (metadata == null) {
      return null;
    }
    return CallMetadata.OUTBOUND.equals(metadata.getDirection()) ? metadata.getToNumber() : metadata.getFromNumber();
  }

  private static String capitalized(String word) {
    return word.isEmpty() ? word : word.charAt(0) + word.substring(1).toLowerCase(java.util.Locale.ROOT);
  }
}
