package dev.parley.transforms.deadletter;

import dev.parley.model.AudioArrival;
import dev.parley.model.DeadLetter;
import dev.parley.model.ErrorCode;
import dev.parley.tenant.SecretRedactor;
import org.apache.beam.sdk.values.TupleTag;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Instant;

/** Builds {@link DeadLetter}s the same way in every stage: redacted message, stable code, the element kept. */
public final class DeadLetters {
  /** The failure output tag every stage uses. */
  public static final TupleTag<DeadLetter> TAG = new TupleTag<>("deadLetters") {};

  private DeadLetters() {}

  public static DeadLetter of(
      String stage,
      ErrorCode code,
      String message,
      @Nullable AudioArrival arrival,
      int attempts,
      String payloadType,
      String payload) {
    return arrival == null
        ? of(stage, code, message, null, null, null, attempts, payloadType, payload)
        : of(stage, code, message, arrival.getTenantId(), arrival.getSourceUri(), arrival.getCallId(), attempts,
            payloadType, payload);
  }

  /** A dead letter for a call known by its ids (the sinks, after transcription). */
  public static DeadLetter of(
      String stage,
      ErrorCode code,
      String message,
      @Nullable String tenantId,
      @Nullable String sourceUri,
      @Nullable String callId,
      int attempts,
      String payloadType,
      String payload) {
    return DeadLetter.builder()
        .setStage(stage)
        .setErrorCode(code.name())
        .setMessage(SecretRedactor.redact(message))
        .setTenantId(tenantId)
        .setSourceUri(sourceUri)
        .setCallId(callId)
        .setAttempts(attempts)
        .setFailedAt(Instant.now())
        .setPayloadType(payloadType)
        .setPayload(SecretRedactor.redact(payload))
        .build();
  }

  /** A dead letter for a schema'd element that relates to one arrival. */
  public static <T> DeadLetter of(
      String stage, ErrorCode code, String message, AudioArrival arrival, int attempts,
      PayloadEncoder<T> encoder, T element) {
    return of(stage, code, message, arrival, attempts, encoder.typeName(), encoder.encode(element));
  }

  /** For an unexpected exception: the type and message only, never a stack that might hold request data. */
  public static String describe(Throwable t) {
    String message = t.getMessage();
    return t.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }
}
