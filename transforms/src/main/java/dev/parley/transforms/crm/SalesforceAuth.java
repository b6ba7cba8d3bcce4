package dev.parley.transforms.crm;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.model.ErrorCode;
import dev.parley.tenant.SecretResolver;
import dev.parley.tenant.SecretUnavailableException;
import dev.parley.tenant.TenantConfig;
import io.jsonwebtoken.Jwts;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Salesforce OAuth tokens, one per tenant, cached until Salesforce refuses one: the client-credentials flow
 * (client id and secret) or the JWT bearer flow (an RS256 assertion signed with the connected app's key,
 * {@code iss} the consumer key, {@code sub} the user, {@code aud} the login URL, valid three minutes).
 */
final class SalesforceAuth {
  private static final Duration ASSERTION_LIFETIME = Duration.ofMinutes(3);

  /** A token and the instance URL Salesforce answered with it. */
  record Session(String accessToken, String instanceUrl) {}

  private final CrmHttp http;
  private final SecretResolver secrets;
  private final Map<String, Session> sessions = new ConcurrentHashMap<>();

  SalesforceAuth(CrmHttp http, SecretResolver secrets) {
    this.http = http;
    this.secrets = secrets;
  }

  Session session(TenantConfig tenant, CallBudget budget, CrmHttp.Limit limit)
      throws CrmException, SecretUnavailableException, InterruptedException {
    Session cached = sessions.get(tenant.id());
    return cached != null ? cached : refresh(tenant, budget, limit);
  }

  /** Forgets the tenant's token (Salesforce said it expired) and fetches a new one. */
  Session refresh(TenantConfig tenant, CallBudget budget, CrmHttp.Limit limit)
      throws CrmException, SecretUnavailableException, InterruptedException {
    sessions.remove(tenant.id());
    TenantConfig.Salesforce settings = tenant.crm().salesforce();
    Map<String, String> form = new LinkedHashMap<>();
    if (TenantConfig.Salesforce.JWT_BEARER.equals(settings.auth())) {
      form.put("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer");
      form.put("assertion", assertion(settings));
    } else {
      if (settings.clientSecret() == null) {
        throw CrmException.permanent(ErrorCode.CRM_AUTH_FAILED, "crm.salesforce.clientSecret is not configured");
      }
      form.put("grant_type", "client_credentials");
      form.put("client_id", settings.clientId());
      form.put("client_secret", secrets.resolve(settings.clientSecret()));
    }
    HttpRequest.Builder request = HttpRequest.newBuilder(
            URI.create(HubSpotClient.stripSlash(settings.instanceUrl()) + "/services/oauth2/token"))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(form.entrySet().stream()
            .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
            .collect(Collectors.joining("&"))));
    HttpResponse<String> response = http.send(budget, tenant.id(), request, limit);
    if (response.statusCode() != 200) {
      CrmException failure = CrmHttp.failure("Salesforce token endpoint", response);
      throw failure.isRetryable() ? failure
          : CrmException.permanent(ErrorCode.CRM_AUTH_FAILED, failure.getMessage());
    }
    JsonNode token = CrmHttp.json(response);
    Session session = new Session(token.path("access_token").asText(),
        token.path("instance_url").asText(settings.instanceUrl()));
    sessions.put(tenant.id(), session);
    return session;
  }

  private String assertion(TenantConfig.Salesforce settings) throws CrmException, SecretUnavailableException {
    if (settings.username() == null || settings.privateKey() == null) {
      throw CrmException.permanent(ErrorCode.CRM_AUTH_FAILED,
          "the JWT bearer flow needs crm.salesforce.username and crm.salesforce.privateKey");
    }
    Instant now = Instant.now();
    return Jwts.builder()
        .issuer(settings.clientId())
        .subject(settings.username())
        .audience().add(settings.loginUrl() == null ? TenantConfig.Salesforce.DEFAULT_LOGIN_URL : settings.loginUrl()).and()
        .expiration(Date.from(now.plus(ASSERTION_LIFETIME)))
        .signWith(privateKey(secrets.resolve(settings.privateKey())), Jwts.SIG.RS256)
        .compact();
  }

  /** A PKCS#8 PEM RSA key; the error never repeats the key. */
  private static PrivateKey privateKey(String pem) throws CrmException {
    try {
      String base64 = pem.replaceAll("-----(BEGIN|END) PRIVATE KEY-----", "").replaceAll("\\s", "");
      return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw CrmException.permanent(ErrorCode.CRM_AUTH_FAILED,
          "crm.salesforce.privateKey is not a PKCS#8 PEM RSA key (" + e.getClass().getSimpleName() + ")");
    }
  }
}
