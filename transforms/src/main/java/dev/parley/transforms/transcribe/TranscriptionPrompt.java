package dev.parley.transforms.transcribe;

import dev.parley.model.CallMetadata;
import dev.parley.model.ProbedAudio;
import dev.parley.tenant.TenantConfig;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The prompt of one call. The tenant's {@code transcription.prompt} is a template (the system instruction)
 * that may use {@code ${speakerLabels}}, {@code ${languageHints}} and {@code ${durationSeconds}}; the user turn
 * states the facts of this recording so that the answer can be checked against them.
 *
 * <p>Speakers are labelled "Agent" and "Customer" when the call's metadata says who the agent is or which way
 * the call went, and "Speaker 1", "Speaker 2", ... otherwise: a label Parley cannot vouch for is not asked for.
 */
public final class TranscriptionPrompt {
  public static final String AGENT_CUSTOMER =
      "Label the speakers \"Agent\" (the company's representative) and \"Customer\" (the other party).";
  public static final String NUMBERED = "Label the speakers \"Speaker 1\", \"Speaker 2\" and so on, in order of first speech.";
  private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Za-z]+)}");

  private TranscriptionPrompt() {}

  /** The tenant's template with this call's values. */
  static String system(TenantConfig tenant, ProbedAudio call) {
    Map<String, String> values = Map.of(
        "speakerLabels", speakerLabels(call),
        "languageHints", languageHints(tenant),
        "durationSeconds", String.format(Locale.ROOT, "%.1f", call.getAudio().durationSeconds()));
    Matcher m = PLACEHOLDER.matcher(tenant.transcription().prompt());
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(out, Matcher.quoteReplacement(values.getOrDefault(m.group(1), m.group())));
    }
    m.appendTail(out);
    return out.toString();
  }

  /** The facts of this recording, stated next to the audio. */
  static String forCall(TenantConfig tenant, ProbedAudio call) {
    StringBuilder out = new StringBuilder(String.format(Locale.ROOT,
        "The recording lasts %.1f seconds; every startMs and endMs lies between 0 and %d. ",
        call.getAudio().durationSeconds(), call.getAudio().getDurationMillis()));
    if (!tenant.transcription().prompt().contains("${speakerLabels}")) {
      out.append(speakerLabels(call));
    }
    if (!tenant.transcription().languageHints().isEmpty()) {
      out.append(" Expected languages: ").append(languageHints(tenant)).append('.');
    }
    CallMetadata metadata = call.getArrival().getMetadata();
    if (metadata != null && metadata.getDirection() != null) {
      out.append(CallMetadata.INBOUND.equals(metadata.getDirection())
          ? " The customer called the agent." : " The agent called the customer.");
    }
    return out.toString();
  }

  static String speakerLabels(ProbedAudio call) {
    CallMetadata metadata = call.getArrival().getMetadata();
    boolean rolesKnown = metadata != null && (metadata.getAgent() != null || metadata.getDirection() != null);
    return rolesKnown ? AGENT_CUSTOMER : NUMBERED;
  }

  private static String languageHints(TenantConfig tenant) {
    return tenant.transcription().languageHints().isEmpty()
        ? "any" : String.join(", ", tenant.transcription().languageHints());
  }
}
