package dev.parley.tenant;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class SecretResolverTest {
  @Rule public TemporaryFolder tmp = new TemporaryFolder();

  @Test
  public void resolvesEnvAndFileReferencesAndRedactsTheValues() throws Exception {
    Map<String, String> env = new HashMap<>(Map.of("ACME_KEY", "env-secret-value-1\n"));
    Path file = tmp.newFile("key").toPath();
    Files.writeString(file, "file-secret-value-2\n");
    SecretResolver resolver = new SecretResolver(Duration.ofMinutes(5), Clock.systemUTC(), env::get);

    assertEquals("env-secret-value-1", resolver.resolve(SecretRef.parse("env://ACME_KEY")));
    assertEquals("file-secret-value-2", resolver.resolve(SecretRef.parse("file://" + file)));
    assertEquals("call failed: key=[REDACTED] token=[REDACTED]",
        SecretRedactor.redact("call failed: key=env-secret-value-1 token=file-secret-value-2"));
  }

  @Test
  public void refetchesAfterTheTtlSoRotationTakesEffect() throws Exception {
    Map<String, String> env = new HashMap<>(Map.of("K", "first-value"));
    Instant[] now = {Instant.parse("2026-01-01T00:00:00Z")};
    Clock clock = new Clock() {
      @Override public ZoneOffset getZone() { return ZoneOffset.UTC; }
      @Override public Clock withZone(java.time.ZoneId zone) { return this; }
      @Override public Instant instant() { return now[0]; }
    };
    SecretResolver resolver = new SecretResolver(Duration.ofMinutes(5), clock, env::get);
    SecretRef ref = SecretRef.parse("env://K");
    assertEquals("first-value", resolver.resolve(ref));
    env.put("K", "rotated-value");
    assertEquals("first-value", resolver.resolve(ref));
    now[0] = now[0].plus(Duration.ofMinutes(6));
    assertEquals("rotated-value", resolver.resolve(ref));
  }

  @Test
  public void aMissingSecretNamesTheReference() {
    SecretResolver resolver = new SecretResolver(Duration.ofMinutes(5), Clock.systemUTC(), name -> null);
    SecretUnavailableException e =
        assertThrows(SecretUnavailableException.class, () -> resolver.resolve(SecretRef.parse("env://NOPE")));
    assertThat(e.getMessage(), containsString("env://NOPE"));
  }

  @Test
  public void aRawValueIsNotAReferenceAndIsNotRepeated() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> SecretRef.parse("sk_live_abcdef123456"));
    assertThat(e.getMessage(), not(containsString("sk_live_abcdef123456")));
  }

  @Test
  public void secretManagerReferencesDefaultToTheLatestVersion() {
    assertEquals("projects/parley-prod/secrets/k/versions/latest",
        SecretRef.parse("sm://projects/parley-prod/secrets/k").target());
    assertEquals("projects/parley-prod/secrets/k/versions/3",
        SecretRef.parse("sm://projects/parley-prod/secrets/k/versions/3").target());
  }
}
