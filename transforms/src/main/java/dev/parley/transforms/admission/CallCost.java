package dev.parley.transforms.admission;

/**
 * What one model call takes from the quotas: one request, the input tokens it will bill (32 per second of
 * audio, plus the prompt), and the audio it carries.
 */
public record CallCost(long tokens, long audioMillis) {
  /** Gemini bills audio at 32 tokens per second; the prompt adds a few hundred. */
  public static final int TOKENS_PER_AUDIO_SECOND = 32;
  static final int PROMPT_TOKENS = 300;

  public static CallCost ofAudio(long audioMillis) {
    return new CallCost(audioMillis * TOKENS_PER_AUDIO_SECOND / 1000 + PROMPT_TOKENS, audioMillis);
  }
}
