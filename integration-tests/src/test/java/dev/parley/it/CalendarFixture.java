package dev.parley.it;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.emulator.calendar.CalendarStandIn;
import dev.parley.model.CallRecord;
import dev.parley.tenant.TenantConfig;
import dev.parley.tenant.TenantConfigException;
import dev.parley.tenant.TenantConfigLoader;
import dev.parley.tenant.TenantConfigSpec;
import dev.parley.tools.SampleCalls;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The calendars of the calendar tests: a {@link CalendarStandIn} that trusts acme's service account (a fresh RSA key,
 * written as a JSON key file) and globex's OAuth client with a refresh token for one agent, and the calendar settings
 * of those tenants layered over {@link SinkFixtures}' tenants: acme by delegation (agents dana@ and sam@acme.example),
 * globex by refresh token (lee@globex.example), paced at one request a minute for {@code paced}, and {@code plain}
 * without calendar enrichment.
 */
final class CalendarFixture {
  static final String SERVICE_ACCOUNT = "parley-calendar@parley-test.iam.gserviceaccount.com";
  static final String OAUTH_CLIENT = "1234-parley.apps.googleusercontent.com";
  static final String OAUTH_SECRET = "GOCSPX-oauth-client-secret-0123";
  static final String REFRESH_TOKEN = "1//refresh-token-of-lee-0123456789";
  static final String DANA = SampleCalls.AGENT;
  static final String SAM = "sam@acme.example";
  static final String LEE = "lee@globex.example";
  /** Wednesday 25 November 2026, 10:00 UTC: the hour most calls of the tests start in. */
  static final Instant TEN = Instant.parse("2026-11-25T10:00:00Z");
  private static KeyPair sharedKeys;

  final CalendarStandIn standIn;
  final TenantConfigSpec tenants;
  final String privateKeyPem;

  private CalendarFixture(CalendarStandIn standIn, TenantConfigSpec tenants, String privateKeyPem) {
    this.standIn = standIn;
    this.tenants = tenants;
    this.privateKeyPem = privateKeyPem;
  }

  /** Writes the key, secrets and tenant config (no CRMs) into {@code dir}. */
  static CalendarFixture start(Path dir) throws IOException, GeneralSecurityException {
    CalendarStandIn standIn = CalendarStandIn.start();
    String pem = serviceAccountKey(dir, standIn);
    standIn.addRefreshToken(OAUTH_CLIENT, OAUTH_SECRET, REFRESH_TOKEN, LEE);
    Files.writeString(dir.resolve("oauth.secret"), OAUTH_SECRET);
    Files.writeString(dir.resolve("lee.refresh"), REFRESH_TOKEN);
    TenantConfigSpec spec = SinkFixtures.tenants(dir, "{kind: none}", "{kind: none}");
    // A second layer in the same folder: the loader merges it into SinkFixtures' tenants.
    Files.writeString(dir.resolve("calendar.yaml"), """
        tenants:
          acme:
            calendar:
              enabled: true
              auth: service-account
              serviceAccountKey: "file://%1$s/calendar-key.json"
              internalDomains: [acme-support.example]
              requestsPerMinute: 6000
          globex:
            calendar:
              enabled: true
              auth: oauth-refresh-token
              oauthClientId: "%2$s"
              oauthClientSecret: "file://%1$s/oauth.secret"
              refreshTokens: {"%3$s": "file://%1$s/lee.refresh"}
              requestsPerMinute: 6000
          paced:
            displayName: Paced
            calendar:
              enabled: true
              auth: service-account
              serviceAccountKey: "file://%1$s/calendar-key.json"
              requestsPerMinute: 1
          plain:
            displayName: Plain
        """.formatted(dir, OAUTH_CLIENT, LEE));
    return new CalendarFixture(standIn, spec, pem);
  }

  /**
   * Writes {@code dir/calendar-key.json}, a service-account JSON key whose {@code token_uri} is the stand-in's, and
   * makes the stand-in trust it; returns the private key's PEM (to check that it never leaks).
   */
  static String serviceAccountKey(Path dir, CalendarStandIn standIn) throws IOException, GeneralSecurityException {
    KeyPair keys = serviceAccountKeys();
    standIn.trustServiceAccount(SERVICE_ACCOUNT, keys.getPublic());
    String pem = "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder().encodeToString(keys.getPrivate().getEncoded())
        + "\n-----END PRIVATE KEY-----\n";
    Map<String, String> key = new LinkedHashMap<>();
    key.put("type", "service_account");
    key.put("project_id", "parley-test");
    key.put("private_key_id", "0f1e2d3c4b5a");
    key.put("private_key", pem);
    key.put("client_email", SERVICE_ACCOUNT);
    key.put("client_id", "112233445566778899");
    key.put("token_uri", standIn.tokenUri());
    Files.writeString(dir.resolve("calendar-key.json"), new ObjectMapper().writeValueAsString(key));
    return pem;
  }

  /** One key pair for every test of the run: RSA key generation takes a good part of a second. */
  private static synchronized KeyPair serviceAccountKeys() throws GeneralSecurityException {
    if (sharedKeys == null) {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      sharedKeys = generator.generateKeyPair();
    }
    return sharedKeys;
  }

  TenantConfig tenant(String id) throws TenantConfigException {
    return TenantConfigLoader.load(tenants.locations()).find(id).orElseThrow();
  }

  /** A sample call of {@code agent} that started at {@code start}. */
  static CallRecord callOf(String tenant, String callId, String agent, Instant start) {
    CallRecord call = SampleCalls.call(tenant, callId, 2);
    return call.toBuilder().setMetadata(call.getMetadata().toBuilder().setAgent(agent)
        .setStartTime(new org.joda.time.Instant(start.toEpochMilli())).build()).build();
  }
}
