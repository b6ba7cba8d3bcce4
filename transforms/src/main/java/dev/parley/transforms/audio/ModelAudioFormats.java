package dev.parley.transforms.audio;

import dev.parley.model.AudioInfo;
import dev.parley.tenant.TenantConfig;

/**
 * Which recordings the tenant's model takes as they are. Gemini lists MIME types, not codecs: its WAV is 16-bit
 * PCM in practice, and the Gemini API has no MP4 type (only Vertex AI lists audio/mp4 and audio/m4a).
 * Anything else is transcoded to 16-bit PCM WAV.
 */
public final class ModelAudioFormats {
  private ModelAudioFormats() {}

  public static boolean takesAsIs(TenantConfig tenant, AudioInfo audio) {
    return switch (audio.getFormat()) {
      case "WAV" -> audio.getCodec().equals("PCM_S16LE");
      case "MP3", "FLAC", "OGG" -> true;
      case "M4A" -> !isGeminiApi(tenant);
      default -> false;
    };
  }

  private static boolean isGeminiApi(TenantConfig tenant) {
    TenantConfig.Transcription settings = tenant.transcription();
    return settings.engine().equals(TenantConfig.Transcription.GEMINI) && !settings.gemini().isVertex();
  }
}
