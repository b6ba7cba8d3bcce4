package dev.parley.transforms.logging;

import dev.parley.model.DeadLetter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.MDC;
import org.slf4j.Marker;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * A log line about a call (or a tenant): an SLF4J fluent log call that starts with the call's {@code tenantId} and
 * {@code callId} (and, for a dead letter, its {@code stage}, {@code errorCode} and {@code attempts}), whose
 * key-values are also in the MDC while the line is logged. Locally, logback's JSON encoder writes the key-values as
 * fields. On Dataflow, workers log through java.util.logging, whose SLF4J binding drops key-values; Beam's SDK
 * harness copies the MDC into each Cloud Logging entry instead ({@code --logMdc}, on by default), so the fields reach
 * the log entry there too and can be filtered on ({@code jsonPayload.custom_data.tenantId="acme-sales"}).
 */
public final class KeyValuesInMdc implements LoggingEventBuilder {
  private final LoggingEventBuilder delegate;
  private final List<Map.Entry<String, String>> keyValues = new ArrayList<>();

  private KeyValuesInMdc(LoggingEventBuilder delegate) {
    this.delegate = delegate;
  }

  /** {@code line} ({@code LOG.atWarn()} and the like) about one tenant, where no single call is concerned. */
  public static KeyValuesInMdc forTenant(LoggingEventBuilder line, String tenantId) {
    return new KeyValuesInMdc(line).addKeyValue("tenantId", tenantId);
  }

  /** {@code line} about one call of one tenant. */
  public static KeyValuesInMdc forCall(LoggingEventBuilder line, String tenantId, String callId) {
    return forTenant(line, tenantId).addKeyValue("callId", callId);
  }

  /** {@code line} about the call a dead letter was written for; its message is left to the caller. */
  public static KeyValuesInMdc forDeadLetter(LoggingEventBuilder line, DeadLetter deadLetter) {
    return forCall(line, deadLetter.getTenantId(), deadLetter.getCallId()).addKeyValue("stage", deadLetter.getStage())
        .addKeyValue("errorCode", deadLetter.getErrorCode()).addKeyValue("attempts", deadLetter.getAttempts());
  }

  @Override
  public KeyValuesInMdc addKeyValue(String key, Object value) {
    keyValues.add(Map.entry(key, String.valueOf(value)));
    delegate.addKeyValue(key, value);
    return this;
  }

  @Override
  public KeyValuesInMdc addKeyValue(String key, Supplier<Object> value) {
    return addKeyValue(key, value.get());
  }

  @Override
  public KeyValuesInMdc setCause(Throwable cause) {
    delegate.setCause(cause);
    return this;
  }

  @Override
  public KeyValuesInMdc addMarker(Marker marker) {
    delegate.addMarker(marker);
    return this;
  }

  @Override
  public KeyValuesInMdc addArgument(Object argument) {
    delegate.addArgument(argument);
    return this;
  }

  @Override
  public KeyValuesInMdc addArgument(Supplier<?> argument) {
    delegate.addArgument(argument);
    return this;
  }

  @Override
  public KeyValuesInMdc setMessage(String message) {
    delegate.setMessage(message);
    return this;
  }

  @Override
  public KeyValuesInMdc setMessage(Supplier<String> message) {
    delegate.setMessage(message);
    return this;
  }

  @Override
  public void log() {
    inMdc(delegate::log);
  }

  @Override
  public void log(String message) {
    inMdc(() -> delegate.log(message));
  }

  @Override
  public void log(String message, Object argument) {
    inMdc(() -> delegate.log(message, argument));
  }

  @Override
  public void log(String message, Object argument1, Object argument2) {
    inMdc(() -> delegate.log(message, argument1, argument2));
  }

  @Override
  public void log(String message, Object... arguments) {
    inMdc(() -> delegate.log(message, arguments));
  }

  @Override
  public void log(Supplier<String> message) {
    inMdc(() -> delegate.log(message));
  }

  /** Runs the log call with the key-values in the MDC, then puts back what the MDC held before. */
  private void inMdc(Runnable logCall) {
    Map<String, String> before = MDC.getCopyOfContextMap();
    try {
      keyValues.forEach(kv -> MDC.put(kv.getKey(), kv.getValue()));
      logCall.run();
    } finally {
      if (before == null) {
        MDC.clear();
      } else {
        MDC.setContextMap(before);
      }
    }
  }
}
