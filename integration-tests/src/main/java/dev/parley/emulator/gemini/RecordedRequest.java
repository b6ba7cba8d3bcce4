package dev.parley.emulator.gemini;

import java.time.Instant;
import java.util.List;

/**
 * One request as the emulator saw it. {@code key} is the API key (Gemini API) or {@code vertex:<project>} (the
 * bearer token is not kept); {@code audioSha256} lists the digest of every audio part, in order, and
 * {@code audioSources} how each arrived ({@code inline}, a Files API {@code files/<id>}, or a {@code gs://} URI);
 * {@code prompt} is the system instruction and text parts, joined.
 */
public record RecordedRequest(
    Instant time,
    String backend,
    String method,
    String key,
    String model,
    List<String> audioSha256,
    List<String> audioSources,
    String prompt,
    long audioBytes,
    double audioSeconds,
    int status) {}
