package dev.parley.transforms.calendar;

import java.io.Serializable;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Where calendar lookups go. {@link #googleDefault()} is Google: the Calendar API's own root URL, and the token
 * endpoint of each credential (the service-account key's {@code token_uri}, Google's OAuth endpoint for refresh
 * tokens). {@link #withBaseUrl} sends both to one local server (a stand-in): {@code {base}/calendar/v3/...} and
 * {@code {base}/token}, where the tenant's credentials are exchanged as they would be at Google.
 *
 * @param rootUrl the Calendar client's root URL, ending in {@code /}; null for Google's
 * @param tokenUri the OAuth token endpoint; null for each credential's own
 */
public record CalendarEndpoints(@Nullable String rootUrl, @Nullable String tokenUri) implements Serializable {
  public static CalendarEndpoints googleDefault() {
    return new CalendarEndpoints(null, null);
  }

  /** Both endpoints at {@code baseUrl} (e.g. http://127.0.0.1:8091); these endpoints when it is blank. */
  public CalendarEndpoints withBaseUrl(@Nullable String baseUrl) {
    if (baseUrl == null || baseUrl.isBlank()) {
      return this;
    }
    String base = baseUrl.endsWith("/") ? baseUrl : baseUrl + "/";
    return new CalendarEndpoints(base, base + "token");
  }
}
