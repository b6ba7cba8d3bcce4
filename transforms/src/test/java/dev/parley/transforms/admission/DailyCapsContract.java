package dev.parley.transforms.admission;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import dev.parley.tenant.ModelConfig;
import dev.parley.tenant.TenantConfig;
import dev.parley.transforms.TestTenants;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.Test;

/** The rules every {@link DailyCaps} follows, whoever keeps the counts; each subclass says which. */
public abstract class DailyCapsContract {
  /** Counts of their own: nothing used yet. */
  protected abstract DailyCaps caps();

  static TenantConfig tenant(String id, Long minutesPerDay) {
    return TestTenants.tenant(id, "{displayName: " + id + ", transcription: {gemini: {backend: vertex-ai, project: "
        + "proj-123456, location: us-central1}}" + (minutesPerDay == null ? "" : ", quota: {audioMinutesPerDay: "
        + minutesPerDay + "}") + "}");
  }

  @Test
  public void capsATenantsAudioMinutesPerUtcDayWithAMessageThatSaysWhatToRaise() {
    DailyCaps quota = caps();
    TenantConfig acme = tenant("acme", 10L);
    QuotaHolder holder = QuotaHolder.of(acme);
    Instant morning = Instant.parse("2026-11-25T08:00:00Z");
    assertTrue(quota.reserve(acme, holder, null, 6 * 60_000, morning).isEmpty());
    assertTrue("a check counts nothing", quota.check(acme, holder, null, 4 * 60_000, morning).isEmpty());
    assertTrue(quota.reserve(acme, holder, null, 4 * 60_000, morning).isEmpty());
    Optional<OverCap> over = quota.reserve(acme, holder, null, 60_000, morning.plusSeconds(3600));
    assertTrue(over.isPresent());
    assertThat(over.get().message(), containsString("tenant 'acme' has used 10.0 of its 10 audio minutes"));
    assertThat(over.get().message(), containsString("raise quota.audioMinutesPerDay"));
    assertEquals(Instant.parse("2026-11-26T00:00:00Z"), over.get().resetsAt());
    assertTrue("a new UTC day starts afresh",
        quota.reserve(acme, holder, null, 60_000, Instant.parse("2026-11-26T00:00:01Z")).isEmpty());
  }

  @Test
  public void capsAProjectsRequestsPerPacificDay() {
    DailyCaps quota = caps();
    TenantConfig acme = tenant("acme", null);
    TenantConfig globex = tenant("globex", null); // same Vertex project: same quota
    ModelConfig.ProjectLimits limits = new ModelConfig.ProjectLimits(null, null, 2);
    Instant t = Instant.parse("2026-11-25T20:00:00Z"); // 12:00 in Los Angeles
    assertTrue(quota.reserve(acme, QuotaHolder.of(acme), limits, 1000, t).isEmpty());
    assertTrue(quota.reserve(globex, QuotaHolder.of(globex), limits, 1000, t).isEmpty());
    Optional<OverCap> over = quota.reserve(acme, QuotaHolder.of(acme), limits, 1000, t);
    assertThat(over.orElseThrow().message(), containsString("models.gemini-2.5-flash.projectLimits.requestsPerDay=2"));
    assertEquals("midnight Pacific", Instant.parse("2026-11-26T08:00:00Z"), over.get().resetsAt());
  }
}
