package dev.parley.transforms.transcribe;

import dev.parley.model.CallMetadata;
import dev.parley.model.ProbedAudio;
import dev.parley.tenant.TenantConfig;

/**
 * The per-call part of the prompt: what Parley knows about this recording that helps the model (length,
 * language hints, who the agent is). The tenant's own instructions go in the system instruction.
 */
final class TranscriptionPrompt {
  private TranscriptionPrompt() {}

  static String forCall(TenantConfig tenant, ProbedAudio call) {
    StringBuilder out = new StringBuilder();
    out.append(String.format(java.util.Locale.ROOT,
        "The recording lasts %.1f seconds; every startMs and endMs lies between 0 and %d.",
        call.getAudio().durationSeconds(), call.getAudio().getDurationMillis()));
    if (!tenant.transcription().languageHints().isEmpty()) {
      out.append(" Expected languages: ").append(String.join(", ", tenant.transcription().languageHints())).append('.');
    }
    CallMetadata metadata = call.getArrival().getMetadata();
    if (metadata != null && metadata.getDirection() != null) {
      out.append(CallMetadata.INBOUND.equals(metadata.getDirection())
          ? " The customer called the agent." : " The agent called the customer.");
    }
    return out.toString();
  }
}
