package dev.parley.transforms.batch;

import dev.parley.model.ErrorCode;
import java.io.Serializable;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * What a batch job answered for one line: a GenerateContentResponse in JSON, or why there is none (the line's
 * error, or the job's). Keyed by the line's key when it goes to meet its call.
 */
record BatchAnswer(String model, @Nullable String audioSha256, @Nullable String response, @Nullable ErrorCode code,
    @Nullable String message) implements Serializable {
  static BatchAnswer answered(String model, @Nullable String audioSha256, String response) {
    return new BatchAnswer(model, audioSha256, response, null, null);
  }

  static BatchAnswer failed(String model, @Nullable String audioSha256, ErrorCode code, String message) {
    return new BatchAnswer(model, audioSha256, null, code, message);
  }
}
