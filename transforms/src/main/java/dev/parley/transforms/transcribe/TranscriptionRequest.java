package dev.parley.transforms.transcribe;

import dev.parley.model.ProbedAudio;
import dev.parley.tenant.TenantConfig;
import java.time.Duration;

/**
 * One call to an engine: whose call it is, what the audio is, the bytes to send inline, and how long to wait
 * for the answer.
 */
public record TranscriptionRequest(TenantConfig tenant, ProbedAudio call, byte[] audio, Duration timeout) {}
