package dev.parley.tenant;

import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import org.junit.Test;

public class TenantIdTest {
  @Test
  public void acceptsMimirsCharacterSet() {
    assertTrue(TenantId.isValid("acme-sales"));
    assertTrue(TenantId.isValid("A.b_c!*'()9"));
    assertTrue(TenantId.isValid("x".repeat(150)));
  }

  @Test
  public void refusesEverythingElse() {
    assertFalse(TenantId.isValid(""));
    assertFalse(TenantId.isValid(null));
    assertFalse(TenantId.isValid("."));
    assertFalse(TenantId.isValid(".."));
    assertFalse(TenantId.isValid("x".repeat(151)));
    assertFalse(TenantId.isValid("a/b"));
    assertFalse(TenantId.isValid("a b"));
    assertFalse(TenantId.isValid("a\nb"));
    assertFalse(TenantId.isValid("tenant\u00e9"));
    assertFalse(TenantId.isValid("a%2Fb"));
  }
}
