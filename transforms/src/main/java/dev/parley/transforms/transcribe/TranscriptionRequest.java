package dev.parley.transforms.transcribe;

import dev.parley.model.ProbedAudio;
import dev.parley.tenant.TenantConfig;
import java.time.Duration;

/** One call to transcribe: whose call it is, what the audio is, and how long each request may take. */
public record TranscriptionRequest(TenantConfig tenant, ProbedAudio call, Duration timeout) {}
