package dev.parley.transforms.crm;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.hasItems;
import static org.junit.Assert.assertEquals;

import java.util.List;
import org.junit.Test;

public class PhoneVariantsTest {
  @Test
  public void spellsANorthAmericanNumberTheWaysPeopleTypeIt() {
    assertThat(PhoneVariants.of("+1 (415) 555-0123"), hasItems("+14155550123", "4155550123", "(415) 555-0123",
        "415-555-0123", "415.555.0123", "14155550123"));
    assertEquals(PhoneVariants.of("+14155550123"), PhoneVariants.of("+14155550123"));
    assertThat(PhoneVariants.of("415-555-0123"), hasItems("+14155550123", "(415) 555-0123"));
  }

  @Test
  public void keepsOtherNumbersInE164AndDigits() {
    assertEquals(List.of("+442079460000", "+44 20 7946 0000", "442079460000"), PhoneVariants.of("+44 20 7946 0000"));
    assertEquals(List.of(), PhoneVariants.of("12"));
  }
}
