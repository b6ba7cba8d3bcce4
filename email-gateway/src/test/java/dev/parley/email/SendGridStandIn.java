package dev.parley.email;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Plays SendGrid's side of Inbound Parse for tests: a P-256 key pair of its own (the security policy's
 * signature), an optional OAuth bearer token, and real HTTP posts of {@link ParseMail}s, signed the way
 * SendGrid signs (ECDSA SHA-256 over the timestamp's text followed by the body).
 */
public final class SendGridStandIn {
  private final KeyPair keys;
  private final String bearerToken;
  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

  /** With a new key pair; {@code bearerToken} may be null (signature only). */
  public SendGridStandIn(String bearerToken) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"));
      this.keys = generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
    this.bearerToken = bearerToken;
  }

  /** The public key as the security policy shows it: base64 of the X.509 SubjectPublicKeyInfo. */
  public String verificationKey() {
    return Base64.getEncoder().encodeToString(keys.getPublic().getEncoded());
  }

  /** Posts {@code mail}, signed now. */
  public HttpResponse<String> post(URI url, ParseMail mail) throws IOException, InterruptedException {
    ParseMail.Post post = mail.post();
    return send(url, post.contentType(), post.body(), headers(post.body(), Instant.now()));
  }

  /** The headers SendGrid sends with {@code body}: signature, timestamp and, if set, the bearer token. */
  public Map<String, String> headers(byte[] body, Instant signedAt) {
    String timestamp = Long.toString(signedAt.getEpochSecond());
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put(PostAuthenticator.SIGNATURE_HEADER, sign(timestamp, body));
    headers.put(PostAuthenticator.TIMESTAMP_HEADER, timestamp);
    if (bearerToken != null) {
      headers.put("Authorization", "Bearer " + bearerToken);
    }
    return headers;
  }

  /** Base64 DER ECDSA signature of {@code timestamp + body}. */
  private String sign(String timestamp, byte[] body) {
    try {
      Signature signer = Signature.getInstance("SHA256withECDSA");
      signer.initSign(keys.getPrivate());
      signer.update(timestamp.getBytes(StandardCharsets.UTF_8));
      signer.update(body);
      return Base64.getEncoder().encodeToString(signer.sign());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A post of {@code body} with exactly these headers and its length declared. */
  public HttpResponse<String> send(URI url, String contentType, byte[] body, Map<String, String> headers)
      throws IOException, InterruptedException {
    return send(url, contentType, HttpRequest.BodyPublishers.ofByteArray(body), headers);
  }

  /** Like {@link #send(URI, String, byte[], Map)}, but chunked: the length is not declared up front. */
  public HttpResponse<String> sendChunked(URI url, String contentType, byte[] body, Map<String, String> headers)
      throws IOException, InterruptedException {
    return send(url, contentType, HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)),
        headers);
  }

  private HttpResponse<String> send(
      URI url, String contentType, HttpRequest.BodyPublisher body, Map<String, String> headers)
      throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(30))
        .header("Content-Type", contentType).header("User-Agent", "Sendlib/1.0 parley-test").POST(body);
    headers.forEach(request::header);
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }
}
