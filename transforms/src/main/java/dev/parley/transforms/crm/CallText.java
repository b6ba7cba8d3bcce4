package dev.parley.transforms.crm;

import dev.parley.model.CalendarAttendee;
import dev.parley.model.CalendarMatch;
import dev.parley.model.CallMetadata;
import dev.parley.model.CallRecord;
import dev.parley.model.TranscriptSegment;
import dev.parley.tenant.TenantConfig;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What a CRM record says about a call, the same for every CRM: a title, a body with the summary, the action
 * items, the start of the transcript and a link to the whole call, and the customer's addresses to find the
 * contact by.
 */
final class CallText {
  static final int EXCERPT_CHARS = 1500;
  /** Well within Salesforce's 255-character Subject, with room for the suffix. */
  static final int MEETING_TITLE_CHARS = 200;
  private static final String SUFFIX = " (Parley)";

  private CallText() {}

  /**
   * The matched meeting's title: a phone system gives a call no title of its own, and the meeting's is the name
   * people know the call by. Without one, the direction and the customer's number.
   */
  static String title(CallRecord call) {
    CalendarMatch meeting = call.getCalendar();
    if (meeting != null && meeting.getTitle() != null && !meeting.getTitle().isBlank()) {
      String title = meeting.getTitle().strip();
      return (title.length() > MEETING_TITLE_CHARS ? title.substring(0, MEETING_TITLE_CHARS) + "…" : title) + SUFFIX;
    }
    CallMetadata metadata = call.getMetadata();
    String direction = metadata == null || metadata.getDirection() == null ? "" : capitalized(metadata.getDirection()) + " ";
    String customer = customerNumber(call);
    return direction + "call" + (customer == null ? "" : " with " + customer) + SUFFIX;
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

  /**
   * The addresses to find the customer's contact by, tried before any phone number: the matched meeting's external
   * attendees first (the calendar knows who the call was with, where a number is often a switchboard's), then the
   * participants the phone system named.
   */
  static List<String> contactEmails(CallRecord call) {
    Set<String> emails = new LinkedHashSet<>();
    if (call.getCalendar() != null) {
      call.getCalendar().getAttendees().stream().filter(CalendarAttendee::getExternal).map(CalendarAttendee::getEmail)
          .forEach(emails::add);
    }
    emails.addAll(emails(call));
    return List.copyOf(emails);
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
