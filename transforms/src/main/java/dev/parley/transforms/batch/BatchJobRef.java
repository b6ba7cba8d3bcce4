package dev.parley.transforms.batch;

import java.io.Serializable;
import java.util.List;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * A batch job Parley created: whose it is, which model, the service's name for it, when it was created, and its
 * lines (each call's key and the digest of the audio the worker read for it).
 */
record BatchJobRef(String tenantId, String model, String jobName, long createdMillis, List<Line> lines)
    implements Serializable {
  record Line(String key, @Nullable String audioSha256) implements Serializable {}
}
