package dev.parley.transforms.calendar;

import com.google.api.services.calendar.CalendarScopes;
import com.google.auth.oauth2.GoogleCredentials;
import com.google.auth.oauth2.ServiceAccountCredentials;
import com.google.auth.oauth2.UserCredentials;
import com.google.common.cache.Cache;
import com.google.common.cache.CacheBuilder;
import dev.parley.model.CalendarMissReason;
import dev.parley.tenant.SecretRef;
import dev.parley.tenant.SecretResolver;
import dev.parley.tenant.SecretUnavailableException;
import dev.parley.tenant.TenantConfig;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;

/**
 * The credentials of the requests made for one agent's calendar: the tenant's service account acting as the agent
 * (domain-wide delegation, read-only events scope), or the agent's own refresh token with the tenant's OAuth client.
 * Kept per worker so that an agent's access token is fetched about once an hour rather than once a call; keyed by
 * a digest of the secrets, so a rotated secret (seen once {@link SecretResolver}'s cache expires) builds new ones.
 */
final class CalendarCredentials {
  static final List<String> SCOPES = List.of(CalendarScopes.CALENDAR_EVENTS_READONLY);
  private static final Cache<String, GoogleCredentials> SHARED =
      CacheBuilder.newBuilder().maximumSize(10_000).expireAfterAccess(Duration.ofHours(2)).build();

  private final SecretResolver secrets;
  private final CalendarEndpoints endpoints;

  CalendarCredentials(SecretResolver secrets, CalendarEndpoints endpoints) {
    this.secrets = secrets;
    this.endpoints = endpoints;
  }

  GoogleCredentials forCalendar(TenantConfig tenant, String calendarId) throws CalendarLookupException {
    TenantConfig.Calendar settings = tenant.calendar();
    boolean delegated = TenantConfig.Calendar.SERVICE_ACCOUNT.equals(settings.auth());
    SecretRef credential = delegated ? settings.serviceAccountKey() : settings.refreshTokenFor(calendarId);
    if (credential == null) {
      throw CalendarLookupException.permanent(CalendarMissReason.NO_CREDENTIALS,
          "calendar.refreshTokens has no entry for " + calendarId);
    }
    String secret = resolve(credential);
    String clientSecret = delegated ? "" : resolve(settings.oauthClientSecret());
    String key = String.join("\n", tenant.id(), calendarId, settings.auth(), String.valueOf(settings.oauthClientId()),
        String.valueOf(endpoints.tokenUri()), digest(secret + "\n" + clientSecret));
    GoogleCredentials cached = SHARED.getIfPresent(key);
    if (cached != null) {
      return cached;
    }
    GoogleCredentials built = delegated ? delegated(secret, calendarId)
        : user(settings.oauthClientId(), clientSecret, secret);
    SHARED.put(key, built);
    return built;
  }

  private GoogleCredentials delegated(String keyJson, String calendarId) throws CalendarLookupException {
    ServiceAccountCredentials account;
    try {
      account = ServiceAccountCredentials.fromStream(new ByteArrayInputStream(keyJson.getBytes(StandardCharsets.UTF_8)));
    } catch (IOException | RuntimeException e) {
      // Only the type: a parser's message may quote the key.
      throw CalendarLookupException.permanent(CalendarMissReason.CREDENTIALS_INVALID,
          "calendar.serviceAccountKey is not a service-account JSON key (" + e.getClass().getSimpleName() + ")");
    }
    if (endpoints.tokenUri() != null) {
      account = account.toBuilder().setTokenServerUri(URI.create(endpoints.tokenUri())).build();
    }
    return account.createScoped(SCOPES).createDelegated(calendarId);
  }

  private UserCredentials user(String clientId, String clientSecret, String refreshToken) {
    UserCredentials.Builder builder = UserCredentials.newBuilder()
        .setClientId(clientId).setClientSecret(clientSecret).setRefreshToken(refreshToken);
    if (endpoints.tokenUri() != null) {
      builder.setTokenServerUri(URI.create(endpoints.tokenUri()));
    }
    return builder.build();
  }

  private String resolve(SecretRef ref) throws CalendarLookupException {
    try {
      return secrets.resolve(ref);
    } catch (SecretUnavailableException e) {
      throw CalendarLookupException.permanent(CalendarMissReason.SECRET_UNAVAILABLE, e.getMessage());
    }
  }

  private static String digest(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
