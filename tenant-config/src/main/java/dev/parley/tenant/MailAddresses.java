package dev.parley.tenant;

import java.util.List;
import java.util.Locale;

/**
 * The one way tenant config compares mail addresses and domains: trimmed and lower-cased. RFC 5321 lets a
 * receiving host treat local parts case-sensitively, but no mail system in practice does, and a tenant who
 * writes {@code Recordings@Acme.example} means the same mailbox.
 */
public final class MailAddresses {
  private MailAddresses() {}

  public static String normalize(String address) {
    return address == null ? "" : address.strip().toLowerCase(Locale.ROOT);
  }

  public static List<String> normalizeAll(List<String> addresses) {
    return addresses == null ? List.of() : addresses.stream().map(MailAddresses::normalize).toList();
  }

  /** The part after the last {@code @}, or empty when there is none. */
  public static String domainOf(String normalizedAddress) {
    int at = normalizedAddress.lastIndexOf('@');
    return at < 0 ? "" : normalizedAddress.substring(at + 1);
  }
}
