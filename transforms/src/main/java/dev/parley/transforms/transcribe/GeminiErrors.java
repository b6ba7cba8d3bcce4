package dev.parley.transforms.transcribe;

import com.google.genai.errors.ApiException;
import com.google.genai.errors.GenAiIOException;
import dev.parley.model.ErrorCode;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Classifies what the Gemini SDK throws into Parley's retry decisions. The SDK keeps the error body's
 * {@code details} (QuotaFailure, RetryInfo) only inside the message text, so they are read from there.
 */
public final class GeminiErrors {
  private static final Pattern RETRY_DELAY = Pattern.compile("\"?retryDelay\"?\\s*[:=]\\s*\"?(\\d+(?:\\.\\d+)?)s");
  private static final Pattern RETRY_IN = Pattern.compile("[Pp]lease retry in (\\d+(?:\\.\\d+)?)(ms|s)");
  private static final Pattern QUOTA_ID = Pattern.compile("\"?quotaId\"?\\s*[:=]\\s*\"?([A-Za-z0-9_]+)");

  private GeminiErrors() {}

  public static TranscriptionException classify(ApiException e) {
    String message = "Gemini answered HTTP " + e.code() + (e.status() == null ? "" : " " + e.status()) + ": "
        + firstLine(e.message());
    int code = e.code();
    if (code == 429) {
      String quotaId = quotaId(e.message());
      if (quotaId != null && isPerDay(quotaId)) {
        return TranscriptionException.permanent(ErrorCode.QUOTA_EXHAUSTED_DAILY,
            "daily quota " + quotaId + " is exhausted; it resets at midnight Pacific time. " + message);
      }
      return TranscriptionException.retryable(ErrorCode.MODEL_RATE_LIMITED, retryDelay(e.message()), message);
    }
    if (code == 408 || code == 504) {
      return TranscriptionException.retryable(ErrorCode.MODEL_TIMEOUT, null, message);
    }
    if (code >= 500) {
      return TranscriptionException.retryable(ErrorCode.MODEL_UNAVAILABLE, null, message);
    }
    if (code == 400) {
      return TranscriptionException.permanent(ErrorCode.MODEL_BAD_REQUEST, message);
    }
    if (code == 401 || code == 403) {
      return TranscriptionException.permanent(ErrorCode.MODEL_AUTH_FAILED, message);
    }
    if (code == 413) {
      return TranscriptionException.permanent(ErrorCode.MODEL_PAYLOAD_TOO_LARGE, message);
    }
    return TranscriptionException.permanent(ErrorCode.MODEL_REJECTED, message);
  }

  /** Network-level failures: the request may not have reached the service, so another attempt is safe. */
  public static TranscriptionException classify(GenAiIOException e) {
    boolean timeout = hasCause(e, InterruptedIOException.class);
    return TranscriptionException.retryable(timeout ? ErrorCode.MODEL_TIMEOUT : ErrorCode.MODEL_UNAVAILABLE, null,
        (timeout ? "Gemini did not answer in time: " : "Gemini could not be reached: ") + firstLine(e.getMessage()));
  }

  /** The server's RetryInfo.retryDelay, or its "Please retry in Ns" hint, or null. */
  static @Nullable Duration retryDelay(String text) {
    if (text == null) {
      return null;
    }
    Matcher m = RETRY_DELAY.matcher(text);
    if (m.find()) {
      return Duration.ofMillis(Math.round(Double.parseDouble(m.group(1)) * 1000));
    }
    m = RETRY_IN.matcher(text);
    if (m.find()) {
      double value = Double.parseDouble(m.group(1));
      return Duration.ofMillis(Math.round(m.group(2).equals("ms") ? value : value * 1000));
    }
    return null;
  }

  static @Nullable String quotaId(String text) {
    if (text == null) {
      return null;
    }
    Matcher m = QUOTA_ID.matcher(text);
    return m.find() ? m.group(1) : null;
  }

  static boolean isPerDay(String quotaId) {
    return quotaId.contains("PerDay");
  }

  private static String firstLine(String text) {
    if (text == null) {
      return "(no message)";
    }
    String line = text.lines().findFirst().orElse("").strip();
    return line.length() > 500 ? line.substring(0, 500) + "…" : line;
  }

  private static boolean hasCause(Throwable t, Class<? extends Throwable> type) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (type.isInstance(c)) {
        return true;
      }
    }
    return false;
  }
}
