package dev.parley.email;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.security.SignatureException;
import java.security.interfaces.ECPublicKey;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * SendGrid's ECDSA signature of one post, checked while the body streams by so that a large post is never
 * held in memory. The signed payload is the timestamp header's text followed by the raw body, hashed with
 * SHA-256 (sendgrid-java's {@code EventWebhook.VerifySignature}); the signature header is the base64 DER
 * signature.
 */
final class PayloadSignature {
  /** For a gateway that authenticates posts by bearer token only. */
  static final PayloadSignature NOT_REQUIRED = new PayloadSignature(null, new byte[0]);

  private final @Nullable Signature verifier;
  private final byte[] expected;

  private PayloadSignature(@Nullable Signature verifier, byte[] expected) {
    this.verifier = verifier;
    this.expected = expected;
  }

  /** Starts checking {@code signature} (decoded) over {@code timestamp} + the body that {@link #update} is fed. */
  static PayloadSignature expecting(ECPublicKey key, String timestamp, byte[] signature) {
    try {
      Signature verifier = Signature.getInstance("SHA256withECDSA");
      verifier.initVerify(key);
      verifier.update(timestamp.getBytes(StandardCharsets.UTF_8));
      return new PayloadSignature(verifier, signature);
    } catch (GeneralSecurityException e) {
      // Every JDK 17 ships SHA256withECDSA and accepts an EC key: this is a broken runtime, not a bad post.
      throw new IllegalStateException("ECDSA verification is unavailable", e);
    }
  }

  void update(byte[] bytes, int offset, int length) {
    if (verifier == null) {
      return;
    }
    try {
      verifier.update(bytes, offset, length);
    } catch (SignatureException e) {
      throw new IllegalStateException("the verifier was initialised in expecting()", e);
    }
  }

  /** Refuses the post unless the signature matches everything fed to {@link #update}. */
  void verify() throws RefusedException {
    if (verifier == null) {
      return;
    }
    boolean valid;
    try {
      valid = verifier.verify(expected);
    } catch (SignatureException e) {
      valid = false; // Not a DER-encoded ECDSA signature at all.
    }
    if (!valid) {
      throw new RefusedException(Refusal.BAD_SIGNATURE, "the signature does not match the timestamp and body");
    }
  }
}
