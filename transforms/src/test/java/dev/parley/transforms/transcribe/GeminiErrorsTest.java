package dev.parley.transforms.transcribe;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import com.google.genai.errors.ApiException;
import dev.parley.model.ErrorCode;
import java.time.Duration;
import org.junit.Test;

public class GeminiErrorsTest {
  private static final String PER_MINUTE = "{\"error\":{\"code\":429,\"message\":\"You exceeded your current quota… "
      + "Please retry in 47.43s.\",\"status\":\"RESOURCE_EXHAUSTED\",\"details\":[{\"@type\":"
      + "\"type.googleapis.com/google.rpc.QuotaFailure\",\"violations\":[{\"quotaMetric\":\"m\",\"quotaId\":"
      + "\"GenerateContentPaidTierInputTokensPerModelPerMinute\",\"quotaValue\":\"4000000\"}]},"
      + "{\"@type\":\"type.googleapis.com/google.rpc.RetryInfo\",\"retryDelay\":\"47s\"}]}}";

  @Test
  public void readsRetryInfoAndQuotaIdFromTheMessage() {
    assertEquals(Duration.ofSeconds(47), GeminiErrors.retryDelay(PER_MINUTE));
    assertEquals("GenerateContentPaidTierInputTokensPerModelPerMinute", GeminiErrors.quotaId(PER_MINUTE));
    assertEquals(Duration.ofMillis(1500), GeminiErrors.retryDelay("Please retry in 1.5s."));
    assertNull(GeminiErrors.retryDelay("quota exceeded"));
  }

  @Test
  public void classifiesByStatus() {
    TranscriptionException limited = GeminiErrors.classify(new ApiException(429, "RESOURCE_EXHAUSTED", PER_MINUTE));
    assertEquals(ErrorCode.MODEL_RATE_LIMITED, limited.code());
    assertTrue(limited.isRetryable());
    assertEquals(Duration.ofSeconds(47), limited.retryAfter());

    TranscriptionException daily = GeminiErrors.classify(new ApiException(429, "RESOURCE_EXHAUSTED",
        PER_MINUTE.replace("GenerateContentPaidTierInputTokensPerModelPerMinute", "GenerateRequestsPerDayPerProjectPerModel")));
    assertEquals(ErrorCode.QUOTA_EXHAUSTED_DAILY, daily.code());
    assertFalse(daily.isRetryable());

    assertEquals(ErrorCode.MODEL_UNAVAILABLE, GeminiErrors.classify(new ApiException(503, "UNAVAILABLE", "overloaded")).code());
    assertEquals(ErrorCode.MODEL_TIMEOUT, GeminiErrors.classify(new ApiException(504, "DEADLINE_EXCEEDED", "late")).code());
    assertEquals(ErrorCode.MODEL_BAD_REQUEST, GeminiErrors.classify(new ApiException(400, "INVALID_ARGUMENT", "bad")).code());
    assertEquals(ErrorCode.MODEL_AUTH_FAILED, GeminiErrors.classify(new ApiException(403, "PERMISSION_DENIED", "no")).code());
    assertEquals(ErrorCode.MODEL_PAYLOAD_TOO_LARGE, GeminiErrors.classify(new ApiException(413, "", "big")).code());
    assertEquals(ErrorCode.MODEL_REJECTED, GeminiErrors.classify(new ApiException(404, "NOT_FOUND", "model")).code());
    assertFalse(GeminiErrors.classify(new ApiException(400, "INVALID_ARGUMENT", "bad")).isRetryable());
  }
}
