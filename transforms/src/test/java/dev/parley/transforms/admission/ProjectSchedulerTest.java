package dev.parley.transforms.admission;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import dev.parley.tenant.ModelConfig;
import dev.parley.tenant.TenantConfig;
import dev.parley.transforms.TestTenants;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.Test;

/** The scheduler's arithmetic and fairness, on a simulated clock. */
public class ProjectSchedulerTest {
  private final AtomicLong now = new AtomicLong(1_000_000_000L);

  static TenantConfig tenant(String id, int rpm, int burst, double weight, Long audioSecondsPerMinute, Integer inFlight) {
    return TestTenants.tenant(id, "{displayName: " + id + ", quota: {requestsPerMinute: " + rpm + ", burst: " + burst
        + ", weight: " + weight + (audioSecondsPerMinute == null ? "" : ", audioSecondsPerMinute: " + audioSecondsPerMinute)
        + (inFlight == null ? "" : ", callsInFlight: " + inFlight) + "}}");
  }

  private static ModelConfig.ProjectLimits project(int rpm) {
    return new ModelConfig.ProjectLimits(rpm, null, null);
  }

  private void advanceMillis(long millis) {
    now.addAndGet(TimeUnit.MILLISECONDS.toNanos(millis));
  }

  @Test
  public void aTenantGetsItsBurstAtOnceThenItsRate() {
    ProjectScheduler scheduler = new ProjectScheduler(null, now::get);
    TenantConfig acme = tenant("acme", 60, 2, 1, null, null);
    List<Ticket> tickets = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      tickets.add(scheduler.enqueue(acme, CallCost.ofAudio(1000)));
    }
    ProjectScheduler.Dispatch first = scheduler.dispatch();
    assertEquals(2, first.granted().size());
    assertFalse(tickets.get(2).isGranted());
    assertThat((double) first.nextCheckNanos(), closeTo(1e9, 1e7));
    advanceMillis(999);
    assertEquals(0, scheduler.dispatch().granted().size());
    advanceMillis(2);
    assertEquals(1, scheduler.dispatch().granted().size());
    assertEquals(TimeUnit.MILLISECONDS.toNanos(1001), tickets.get(2).waitedNanos());
  }

  @Test
  public void noSlidingMinuteHoldsMoreThanTheProjectQuota() {
    ProjectScheduler scheduler = new ProjectScheduler(project(120), now::get);
    TenantConfig acme = tenant("acme", 100_000, 100_000, 1, null, null);
    Deque<Long> grants = new ArrayDeque<>();
    int maxInWindow = 0;
    for (int step = 0; step < 18_000; step++) { // three minutes in 10 ms steps
      while (scheduler.waitingCount() < 10) {
        scheduler.enqueue(acme, CallCost.ofAudio(1000));
      }
      for (Ticket t : scheduler.dispatch().granted()) {
        grants.addLast(now.get());
        scheduler.release(t);
      }
      while (!grants.isEmpty() && grants.peekFirst() <= now.get() - TimeUnit.MINUTES.toNanos(1)) {
        grants.pollFirst();
      }
      maxInWindow = Math.max(maxInWindow, grants.size());
      advanceMillis(10);
    }
    assertThat(maxInWindow, lessThanOrEqualTo(120));
    assertThat("and close to it: the limit is used", maxInWindow, greaterThanOrEqualTo(114));
  }

  /** Keeps every tenant backlogged for {@code seconds} and counts grants per tenant. */
  private Map<String, Integer> saturate(ProjectScheduler scheduler, List<TenantConfig> tenants, int seconds,
      Map<String, Integer> spacingMillis, Map<String, Long> maxWaitNanos) {
    Map<String, Integer> granted = new HashMap<>();
    Map<String, Long> lastArrival = new HashMap<>();
    Map<String, Integer> waiting = new HashMap<>();
    for (int step = 0; step < seconds * 100; step++) {
      for (TenantConfig tenant : tenants) {
        Integer spacing = spacingMillis.get(tenant.id());
        if (spacing == null) {
          while (waiting.getOrDefault(tenant.id(), 0) < 20) { // backlogged
            scheduler.enqueue(tenant, CallCost.ofAudio(1000));
            waiting.merge(tenant.id(), 1, Integer::sum);
          }
        } else if (now.get() - lastArrival.getOrDefault(tenant.id(), 0L) >= TimeUnit.MILLISECONDS.toNanos(spacing)) {
          scheduler.enqueue(tenant, CallCost.ofAudio(1000)); // quiet: one call every `spacing` ms
          lastArrival.put(tenant.id(), now.get());
        }
      }
      for (Ticket t : scheduler.dispatch().granted()) {
        granted.merge(t.tenantId(), 1, Integer::sum);
        waiting.merge(t.tenantId(), -1, Integer::sum);
        maxWaitNanos.merge(t.tenantId(), t.waitedNanos(), Math::max);
        scheduler.release(t);
      }
      advanceMillis(10);
    }
    return granted;
  }

  @Test
  public void backloggedTenantsShareTheProjectByWeight() {
    ProjectScheduler scheduler = new ProjectScheduler(project(600), now::get);
    List<TenantConfig> tenants = List.of(
        tenant("a", 10_000, 100, 1, null, null), tenant("b", 10_000, 100, 2, null, null),
        tenant("c", 10_000, 100, 3, null, null));
    Map<String, Integer> granted = saturate(scheduler, tenants, 120, Map.of(), new HashMap<>());
    int total = granted.values().stream().mapToInt(Integer::intValue).sum();
    assertThat("the project limit is used", (double) total, greaterThanOrEqualTo(0.95 * 1200));
    assertThat((double) total, lessThanOrEqualTo(1200.0 + 20));
    assertThat(granted.get("b") / (double) granted.get("a"), closeTo(2.0, 0.1));
    assertThat(granted.get("c") / (double) granted.get("a"), closeTo(3.0, 0.15));
  }

  @Test
  public void aQuietTenantIsAdmittedAtOnceBesideANoisyOne() {
    ProjectScheduler scheduler = new ProjectScheduler(project(600), now::get);
    List<TenantConfig> tenants = List.of(tenant("noisy", 10_000, 100, 1, null, null),
        tenant("quiet", 10_000, 100, 1, null, null));
    Map<String, Long> maxWait = new HashMap<>();
    Map<String, Integer> granted = saturate(scheduler, tenants, 60, Map.of("quiet", 1000), maxWait);
    assertThat(granted.get("quiet"), greaterThanOrEqualTo(59));
    assertEquals("the quiet tenant never waits for the noisy one", 0L, (long) maxWait.get("quiet"));
    assertThat("the noisy one takes the rest", (double) granted.get("noisy") + granted.get("quiet"),
        greaterThanOrEqualTo(0.95 * 600));
  }

  /**
   * The quota bench's mix: backlogged tenants of weights 1 to 3, whose grants hover around their weighted share, so
   * that each is now and then under it. Those catch up from the bucket's refill; the reserve stays for the
   * tenants whose few calls fit in their burst.
   */
  @Test
  public void quietTenantsAreAdmittedAtOnceWhileBackloggedOnesHoverAroundTheirShares() {
    ProjectScheduler scheduler = new ProjectScheduler(project(120), now::get);
    List<TenantConfig> tenants = List.of(tenant("noisy", 60, 5, 1, null, null), tenant("busy-1", 60, 5, 1, null, null),
        tenant("busy-2", 60, 5, 2, null, null), tenant("busy-3", 60, 5, 3, null, null),
        tenant("quiet-1", 60, 5, 1, null, null), tenant("quiet-2", 60, 5, 2, null, null));
    Map<String, Long> maxWait = new HashMap<>();
    Map<String, Integer> granted = saturate(scheduler, tenants, 180, Map.of("quiet-1", 10_000, "quiet-2", 10_000),
        maxWait);
    assertThat(granted.get("quiet-1"), greaterThanOrEqualTo(18));
    assertEquals("quiet-1 never waits", 0L, (long) maxWait.get("quiet-1"));
    assertEquals("quiet-2 never waits", 0L, (long) maxWait.get("quiet-2"));
    int total = granted.values().stream().mapToInt(Integer::intValue).sum();
    assertThat("the project limit is used", (double) total, greaterThanOrEqualTo(0.95 * 360));
  }

  @Test
  public void aBackloggedTenantUnderItsShareLeavesTheReserveToQuietOnes() {
    ProjectScheduler scheduler = new ProjectScheduler(project(60), now::get); // burst 2: one token in reserve
    TenantConfig backlogged = tenant("backlogged", 10_000, 5, 1, null, null);
    for (int i = 0; i < 10; i++) {
      scheduler.enqueue(backlogged, CallCost.ofAudio(1000));
    }
    assertEquals("a newcomer is under its share, but with more calls waiting than its burst it is not quiet", 1,
        scheduler.dispatch().granted().size());
    Ticket quiet = scheduler.enqueue(tenant("quiet", 10_000, 5, 1, null, null), CallCost.ofAudio(1000));
    assertEquals(List.of(quiet), scheduler.dispatch().granted());
  }

  @Test
  public void aReleasedCallThatWasNeverAdmittedLeavesTheLine() {
    ProjectScheduler scheduler = new ProjectScheduler(null, now::get); // only one call in flight holds it back
    TenantConfig acme = tenant("acme", 10_000, 5, 1, null, 1);
    Ticket first = scheduler.enqueue(acme, CallCost.ofAudio(1000));
    Ticket abandoned = scheduler.enqueue(acme, CallCost.ofAudio(1000));
    assertEquals(List.of(first), scheduler.dispatch().granted());
    scheduler.release(abandoned);
    assertEquals(0, scheduler.waitingCount());
    scheduler.release(first);
    Ticket next = scheduler.enqueue(acme, CallCost.ofAudio(1000));
    assertEquals("the slot in flight is free again", List.of(next), scheduler.dispatch().granted());
  }

  @Test
  public void aTenantsOwnLimitsDoNotHoldUpOthers() {
    ProjectScheduler scheduler = new ProjectScheduler(project(600), now::get);
    TenantConfig slow = tenant("slow", 60, 1, 10, null, null);
    TenantConfig fast = tenant("fast", 10_000, 100, 1, null, null);
    Map<String, Integer> granted = saturate(scheduler, List.of(slow, fast), 60, Map.of(), new HashMap<>());
    assertThat(granted.get("slow"), lessThanOrEqualTo(61));
    assertThat("work-conserving: what slow cannot use goes to fast", (double) granted.get("fast"),
        greaterThanOrEqualTo(0.95 * 600 - 61));
  }

  @Test
  public void callsInFlightWaitForARelease() {
    ProjectScheduler scheduler = new ProjectScheduler(null, now::get);
    TenantConfig acme = tenant("acme", 10_000, 100, 1, null, 2);
    Ticket a = scheduler.enqueue(acme, CallCost.ofAudio(1000));
    Ticket b = scheduler.enqueue(acme, CallCost.ofAudio(1000));
    Ticket c = scheduler.enqueue(acme, CallCost.ofAudio(1000));
    ProjectScheduler.Dispatch dispatch = scheduler.dispatch();
    assertEquals(2, dispatch.granted().size());
    assertEquals(AdmissionControl.UNTIL_RELEASE, dispatch.nextCheckNanos());
    scheduler.release(a);
    scheduler.release(a); // twice is harmless
    assertEquals(List.of(c), scheduler.dispatch().granted());
    assertTrue(b.isGranted());
  }

  @Test
  public void audioSecondsPerMinuteLimitLongCalls() {
    ProjectScheduler scheduler = new ProjectScheduler(null, now::get);
    TenantConfig acme = tenant("acme", 10_000, 1, 1, 60L, null); // one minute of audio per minute
    for (int i = 0; i < 10; i++) {
      scheduler.enqueue(acme, CallCost.ofAudio(30_000));
    }
    int granted = 0;
    for (int step = 0; step < 6000; step++) { // one minute
      for (Ticket t : scheduler.dispatch().granted()) {
        granted++;
        scheduler.release(t);
      }
      advanceMillis(10);
    }
    assertThat(granted, lessThanOrEqualTo(4)); // 60 s of rate + the 1 s burst's worth, in 30 s calls
    assertThat(granted, greaterThanOrEqualTo(2));
  }

  @Test
  public void aLimitChangeAppliesWithoutARestart() {
    ProjectScheduler scheduler = new ProjectScheduler(project(600), now::get);
    TenantConfig acme = tenant("acme", 10_000, 100, 1, null, null);
    Map<String, Integer> before = saturate(scheduler, List.of(acme), 30, Map.of(), new HashMap<>());
    scheduler.configure(project(120));
    Map<String, Integer> after = saturate(scheduler, List.of(acme), 30, Map.of(), new HashMap<>());
    assertThat((double) before.get("acme"), closeTo(300, 20));
    assertThat((double) after.get("acme"), closeTo(60, 10));
  }
}
