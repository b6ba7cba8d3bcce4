package dev.parley.email;

import dev.parley.tenant.SecretRef;
import dev.parley.tenant.TenantConfigSpec;
import java.time.Duration;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * How one gateway runs.
 *
 * @param host the address to listen on ({@code 0.0.0.0} in a container, {@code 127.0.0.1} in tests)
 * @param port 0 for any free port
 * @param dropRoot the drop folder: gs:// prefix or absolute local path; tenant {@code t}'s mail goes to
 *     {@code {dropRoot}/t/email/...}
 * @param verificationKey the parse security policy's ECDSA public key; null when only tokens are checked
 * @param bearerToken the token SendGrid's OAuth client presents; null when only signatures are checked
 * @param maxPostBytes larger posts are answered 413
 * @param maxSignatureAge older (or as far future) signature timestamps are refused as replays
 * @param shutdownGrace how long a stopping gateway lets posts in flight finish (Cloud Run allows 10 s after
 *     SIGTERM); zero stops at once
 */
public record GatewaySettings(
    String host,
    int port,
    String dropRoot,
    TenantConfigSpec tenantConfig,
    @Nullable SecretRef verificationKey,
    @Nullable SecretRef bearerToken,
    long maxPostBytes,
    Duration maxSignatureAge,
    Duration shutdownGrace) {
  public GatewaySettings {
    if (verificationKey == null && bearerToken == null) {
      throw new IllegalArgumentException(
          "set a verification key, a bearer token or both: the gateway accepts no unauthenticated posts");
    }
  }
}
