package dev.parley.email;

import dev.parley.tenant.SecretRef;
import dev.parley.tenant.SecretResolver;
import dev.parley.tenant.SecretUnavailableException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.interfaces.ECPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;

/**
 * Checks that a post comes from our SendGrid account, by the parse webhook's security policy: its OAuth bearer
 * token, its ECDSA signature, or both. Keys and tokens are {@link SecretRef}s resolved on use (so a rotated
 * secret is picked up), and never appear in a message.
 */
final class PostAuthenticator {
  /** The headers of SendGrid's signed webhooks (sendgrid-java {@code EventWebhookHeader}). */
  static final String SIGNATURE_HEADER = "X-Twilio-Email-Event-Webhook-Signature";

  static final String TIMESTAMP_HEADER = "X-Twilio-Email-Event-Webhook-Timestamp";
  private static final String BEARER = "Bearer ";

  private final @Nullable SecretRef verificationKey;
  private final @Nullable SecretRef bearerToken;
  private final Duration maxSignatureAge;
  private final SecretResolver secrets;
  private final Clock clock;

  PostAuthenticator(
      @Nullable SecretRef verificationKey,
      @Nullable SecretRef bearerToken,
      Duration maxSignatureAge,
      SecretResolver secrets,
      Clock clock) {
    this.verificationKey = verificationKey;
    this.bearerToken = bearerToken;
    this.maxSignatureAge = maxSignatureAge;
    this.secrets = secrets;
    this.clock = clock;
  }

  /**
   * Checks what the headers alone can prove (the token, the timestamp's age) before any of the body is read,
   * and returns the signature check that the body must then pass.
   */
  PayloadSignature authenticate(HttpFields headers) throws RefusedException, SecretUnavailableException {
    if (bearerToken != null) {
      checkBearerToken(headers.get(HttpHeader.AUTHORIZATION));
    }
    if (verificationKey == null) {
      return PayloadSignature.NOT_REQUIRED;
    }
    String signature = headers.get(SIGNATURE_HEADER);
    String timestamp = headers.get(TIMESTAMP_HEADER);
    if (signature == null || timestamp == null) {
      throw new RefusedException(Refusal.MISSING_SIGNATURE, "the signature or timestamp header is missing");
    }
    checkFresh(timestamp);
    byte[] decoded;
    try {
      decoded = Base64.getDecoder().decode(signature.strip());
    } catch (IllegalArgumentException e) {
      throw new RefusedException(Refusal.BAD_SIGNATURE, "the signature header is not base64");
    }
    return PayloadSignature.expecting(publicKey(verificationKey), timestamp, decoded);
  }

  private void checkBearerToken(@Nullable String authorization) throws RefusedException, SecretUnavailableException {
    if (authorization == null || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
      throw new RefusedException(Refusal.MISSING_TOKEN, "no bearer token");
    }
    byte[] presented = authorization.substring(BEARER.length()).strip().getBytes(StandardCharsets.UTF_8);
    byte[] expected = secrets.resolve(bearerToken).getBytes(StandardCharsets.UTF_8);
    if (!MessageDigest.isEqual(presented, expected)) { // Constant time: no timing oracle on the token.
      throw new RefusedException(Refusal.BAD_TOKEN, "the bearer token is not the configured one");
    }
  }

  /** A replayed post carries its old timestamp; the signature covers the timestamp, so it cannot be renewed. */
  private void checkFresh(String timestamp) throws RefusedException {
    long seconds;
    try {
      seconds = Long.parseLong(timestamp.strip());
    } catch (NumberFormatException e) {
      throw new RefusedException(Refusal.BAD_SIGNATURE, "the timestamp header is not Unix seconds");
    }
    Duration age = Duration.between(Instant.ofEpochSecond(seconds), clock.instant());
    if (age.abs().compareTo(maxSignatureAge) > 0) {
      throw new RefusedException(Refusal.STALE_TIMESTAMP,
          "the signature is " + age.toSeconds() + " s old; at most " + maxSignatureAge.toSeconds() + " s is accepted");
    }
  }

  /** The key as SendGrid shows it in the security policy: base64 of an X.509 SubjectPublicKeyInfo (or PEM). */
  private ECPublicKey publicKey(SecretRef ref) throws SecretUnavailableException {
    try {
      byte[] der = Base64.getDecoder().decode(secrets.resolve(ref).replaceAll("-----[A-Z ]+-----|\\s", ""));
      return (ECPublicKey) KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(der));
    } catch (IllegalArgumentException | ClassCastException | GeneralSecurityException e) {
      throw new SecretUnavailableException(ref, "not a base64 X.509 EC public key (" + e.getClass().getSimpleName() + ")");
    }
  }
}
