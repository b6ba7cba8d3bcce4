package dev.parley.tenant;

import com.google.cloud.secretmanager.v1.SecretManagerServiceClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Turns {@link SecretRef}s into values on the worker that needs them. Values are cached for a short time so
 * that a rotated secret (a new Secret Manager version behind {@code latest}) is picked up without a restart,
 * and every value is registered with {@link SecretRedactor} so it can never leak through a message.
 */
public final class SecretResolver implements AutoCloseable {
  /** How long a fetched value is trusted; the runbook's rotation procedure relies on this bound. */
  public static final Duration DEFAULT_TTL = Duration.ofMinutes(5);

  private final Duration ttl;
  private final Clock clock;
  private final Function<String, String> environment;
  private final Map<SecretRef, Cached> cache = new ConcurrentHashMap<>();
  private @Nullable SecretManagerServiceClient secretManager;

  private record Cached(String value, Instant fetched) {}

  public SecretResolver() {
    this(DEFAULT_TTL, Clock.systemUTC(), System::getenv);
  }

  SecretResolver(Duration ttl, Clock clock, Function<String, String> environment) {
    this.ttl = ttl;
    this.clock = clock;
    this.environment = environment;
  }

  /** The secret's current value; the exception names the reference, never a value. */
  public String resolve(SecretRef ref) throws SecretUnavailableException {
    Cached cached = cache.get(ref);
    Instant now = clock.instant();
    if (cached != null && cached.fetched().plus(ttl).isAfter(now)) {
      return cached.value();
    }
    String value = fetch(ref);
    SecretRedactor.register(value);
    cache.put(ref, new Cached(value, now));
    return value;
  }

  private String fetch(SecretRef ref) throws SecretUnavailableException {
    switch (ref.kind()) {
      case ENV -> {
        String value = environment.apply(ref.target());
        if (value == null || value.isBlank()) {
          throw new SecretUnavailableException(ref, "environment variable is not set");
        }
        return value.strip();
      }
      case FILE -> {
        try {
          return Files.readString(Path.of(ref.target()), StandardCharsets.UTF_8).strip();
        } catch (IOException | RuntimeException e) {
          throw new SecretUnavailableException(ref, "file cannot be read (" + e.getClass().getSimpleName() + ")");
        }
      }
      case SECRET_MANAGER -> {
        try {
          return secretManager().accessSecretVersion(ref.target()).getPayload().getData().toStringUtf8().strip();
        } catch (IOException | RuntimeException e) {
          throw new SecretUnavailableException(
              ref, "Secret Manager access failed (" + e.getClass().getSimpleName() + ")");
        }
      }
    }
    throw new SecretUnavailableException(ref, "unknown reference kind");
  }

  private synchronized SecretManagerServiceClient secretManager() throws IOException {
    if (secretManager == null) {
      secretManager = SecretManagerServiceClient.create();
    }
    return secretManager;
  }

  @Override
  public synchronized void close() {
    if (secretManager != null) {
      secretManager.close();
      secretManager = null;
    }
  }
}
