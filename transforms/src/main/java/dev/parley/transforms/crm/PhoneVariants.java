package dev.parley.transforms.crm;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The spellings a CRM may hold a phone number in: E.164 ({@code +14155550123}), the digits alone, and for North
 * American numbers the national formats people type ({@code (415) 555-0123}, {@code 415-555-0123}, ...). CRMs
 * store phone fields as typed, so a contact is found only by trying them.
 */
final class PhoneVariants {
  private PhoneVariants() {}

  static List<String> of(String number) {
    Set<String> variants = new LinkedHashSet<>();
    String digits = number.replaceAll("[^0-9]", "");
    if (digits.length() < 4) {
      return List.of();
    }
    String e164 = number.strip().startsWith("+") ? "+" + digits
        : digits.length() == 10 ? "+1" + digits
        : digits.length() == 11 && digits.startsWith("1") ? "+" + digits
        : null;
    if (e164 != null) {
      variants.add(e164);
    }
    variants.add(number.strip());
    variants.add(digits);
    if (e164 != null && e164.startsWith("+1") && e164.length() == 12) {
      String n = e164.substring(2);
      String area = n.substring(0, 3);
      String exchange = n.substring(3, 6);
      String line = n.substring(6);
      variants.add(n);
      variants.add("(" + area + ") " + exchange + "-" + line);
      variants.add(area + "-" + exchange + "-" + line);
      variants.add(area + "." + exchange + "." + line);
      variants.add("+1 " + area + "-" + exchange + "-" + line);
    }
    return List.copyOf(variants);
  }
}
