package dev.parley.transforms.admission;

import static dev.parley.transforms.admission.ProjectSchedulerTest.tenant;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertThrows;

import dev.parley.tenant.ModelConfig;
import dev.parley.tenant.TenantConfig;
import dev.parley.transforms.admission.RedisTestServer.Worker;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.junit.After;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.Timeout;

/**
 * The properties of {@link ProjectSchedulerTest} that must hold across workers, in real time against a real
 * redis-server: each test runs two {@link RedisAdmission}s with pools of their own, as two workers would.
 */
public class RedisAdmissionTest {
  @Rule public final Timeout timeout = Timeout.seconds(60);

  private static final String PROJECT = "gemini-api:file:///keys/shared.key/gemini-2.5-flash";
  private final RedisEndpoint endpoint = RedisTestServer.endpoint();
  private final List<Worker> workers = new ArrayList<>();

  /** A call admitted: whose, when its worker saw the grant, and how long it waited. */
  private record Grant(String tenant, long nanos, long waitedNanos) {}

  private Worker worker() {
    return worker(RedisAdmission.DEFAULT_LEASE);
  }

  private Worker worker(Duration lease) {
    Worker worker = new Worker(endpoint, lease);
    workers.add(worker);
    return worker;
  }

  @After
  public void closeWorkers() {
    workers.forEach(Worker::close);
  }

  private static ModelConfig.ProjectLimits project(int rpm) {
    return new ModelConfig.ProjectLimits(rpm, null, null);
  }

  private static TenantConfig unlimited(String id, double weight) {
    return tenant(id, 100_000, 100_000, weight, null, null);
  }

  /**
   * Drives one worker until {@code untilNanos}, as the streaming step does: keeps {@code backlog} calls of each
   * busy tenant in line, puts one call of the quiet tenant in line every {@code quietSpacingMillis}, polls, and
   * releases each call as soon as it is admitted. Leaves nothing in line.
   */
  private static void drive(Worker worker, ModelConfig.@Nullable ProjectLimits limits, List<TenantConfig> busy,
      int backlog, @Nullable TenantConfig quiet, long quietSpacingMillis, long untilNanos, Queue<Grant> grants) {
    Map<String, List<Ticket>> waiting = new HashMap<>();
    long lastQuiet = 0;
    while (System.nanoTime() < untilNanos) {
      for (TenantConfig tenant : busy) {
        List<Ticket> line = waiting.computeIfAbsent(tenant.id(), k -> new ArrayList<>());
        while (line.size() < backlog) {
          line.add(worker.admission().enqueue(PROJECT, limits, tenant, CallCost.ofAudio(1000)));
        }
      }
      if (quiet != null && System.nanoTime() - lastQuiet >= TimeUnit.MILLISECONDS.toNanos(quietSpacingMillis)) {
        waiting.computeIfAbsent(quiet.id(), k -> new ArrayList<>())
            .add(worker.admission().enqueue(PROJECT, limits, quiet, CallCost.ofAudio(1000)));
        lastQuiet = System.nanoTime();
      }
      long park = TimeUnit.MILLISECONDS.toNanos(5);
      for (List<Ticket> line : waiting.values()) {
        for (Ticket ticket : List.copyOf(line)) {
          long wait = worker.admission().poll(PROJECT, ticket);
          if (wait == 0) {
            grants.add(new Grant(ticket.tenantId(), System.nanoTime(), ticket.waitedNanos()));
            worker.admission().release(PROJECT, ticket);
            line.remove(ticket);
          } else {
            park = Math.min(park, wait);
          }
        }
      }
      LockSupport.parkNanos(park);
    }
    waiting.values().forEach(line -> line.forEach(t -> worker.admission().cancel(PROJECT, t)));
  }

  /** Runs the drivers at once, for {@code millis}. */
  private static void together(long millis, List<Runnable> drivers) throws Exception {
    ExecutorService threads = Executors.newFixedThreadPool(drivers.size());
    try {
      List<Future<?>> running = new ArrayList<>();
      drivers.forEach(d -> running.add(threads.submit(d)));
      for (Future<?> f : running) {
        f.get(millis + 20_000, TimeUnit.MILLISECONDS);
      }
    } finally {
      threads.shutdownNow();
    }
  }

  private List<Grant> saturate(long millis, ModelConfig.@Nullable ProjectLimits limits, List<TenantConfig> busy,
      @Nullable TenantConfig quiet, long quietSpacingMillis) throws Exception {
    Queue<Grant> grants = new ConcurrentLinkedQueue<>();
    long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    Worker first = workers.get(0);
    Worker second = workers.get(1);
    together(millis, List.of(
        () -> drive(first, limits, busy, 10, null, 0, until, grants),
        () -> drive(second, limits, busy, 10, quiet, quietSpacingMillis, until, grants)));
    return grants.stream().sorted((a, b) -> Long.compare(a.nanos(), b.nanos())).toList();
  }

  private static Map<String, Integer> countByTenant(List<Grant> grants, long fromNanos) {
    Map<String, Integer> counts = new HashMap<>();
    grants.stream().filter(g -> g.nanos() >= fromNanos).forEach(g -> counts.merge(g.tenant(), 1, Integer::sum));
    return counts;
  }

  /** What a window-safe bucket for {@code rpm} may admit in {@code nanos}: its capacity plus the refill. */
  private static double bucketBound(int rpm, long nanos) {
    BucketShape shape = BucketShape.windowSafe(rpm);
    return shape.capacity() + shape.refillPerMinute() * nanos / (double) TimeUnit.MINUTES.toNanos(1);
  }

  /** What tenants over their share get of that: all but the half of the burst reserved for the others. */
  private static double overShareBound(int rpm, long nanos) {
    return bucketBound(rpm, nanos) - BucketShape.windowSafe(rpm).capacity() / 2;
  }

  @Test
  public void twoWorkersSharingAProjectLimitNeverExceedIt() throws Exception {
    worker();
    worker();
    long started = System.nanoTime();
    List<Grant> grants = saturate(3_000, project(1200), List.of(unlimited("acme", 1)), null, 0);
    long elapsed = System.nanoTime() - started;
    // Between any two grants, no more than the window-safe bucket allows: over any minute, at most the limit.
    // One more for a grant seen up to MAX_RECHECK after it was made.
    for (int i = 0; i < grants.size(); i++) {
      for (int j = i; j < grants.size(); j++) {
        double allowed = bucketBound(1200, grants.get(j).nanos() - grants.get(i).nanos()) + 2;
        assertThat("grants " + i + ".." + j, (double) (j - i + 1), lessThanOrEqualTo(allowed));
      }
    }
    assertThat("the limit is used", (double) grants.size(), greaterThanOrEqualTo(0.9 * overShareBound(1200, elapsed)));
  }

  @Test
  public void backloggedTenantsShareTheProjectByWeightAcrossWorkers() throws Exception {
    worker();
    worker();
    long measureFrom = System.nanoTime() + TimeUnit.SECONDS.toNanos(1); // after the burst
    List<Grant> grants = saturate(5_000, project(3000),
        List.of(unlimited("a", 1), unlimited("b", 2), unlimited("c", 3)), null, 0);
    Map<String, Integer> counts = countByTenant(grants, measureFrom);
    assertThat(counts.get("b") / (double) counts.get("a"), closeTo(2.0, 0.4));
    assertThat(counts.get("c") / (double) counts.get("a"), closeTo(3.0, 0.6));
  }

  @Test
  public void aQuietTenantIsAdmittedAtOnceBesideANoisyOne() throws Exception {
    worker();
    worker();
    long started = System.nanoTime();
    List<Grant> grants = saturate(4_000, project(3000), List.of(unlimited("noisy", 1)), unlimited("quiet", 1), 250);
    long elapsed = System.nanoTime() - started;
    List<Grant> quiet = grants.stream().filter(g -> g.tenant().equals("quiet")).toList();
    assertThat(quiet.size(), greaterThanOrEqualTo(14)); // one every 250 ms
    long maxWaitMillis = quiet.stream().mapToLong(Grant::waitedNanos).max().orElseThrow() / 1_000_000;
    assertThat("the quiet tenant does not wait for the noisy one", maxWaitMillis, lessThanOrEqualTo(250L));
    assertThat("the noisy one takes the rest", (double) grants.size(),
        greaterThanOrEqualTo(0.9 * overShareBound(3000, elapsed)));
  }

  @Test
  public void aBackloggedTenantUnderItsShareLeavesTheReserveToQuietOnes() {
    RedisAdmission admission = worker().admission();
    ModelConfig.ProjectLimits limits = project(60); // burst 2: one token in reserve; the next comes in a second
    TenantConfig backlogged = tenant("backlogged", 10_000, 5, 1, null, null);
    List<Ticket> line = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      line.add(admission.enqueue(PROJECT, limits, backlogged, CallCost.ofAudio(1000)));
    }
    long granted = line.stream().filter(t -> admission.poll(PROJECT, t) == 0).count();
    assertEquals("a newcomer is under its share, but with more calls waiting than its burst it is not quiet", 1,
        granted);
    Ticket quiet = admission.enqueue(PROJECT, limits, tenant("quiet", 10_000, 5, 1, null, null), CallCost.ofAudio(1000));
    assertEquals(0, admission.poll(PROJECT, quiet));
  }

  @Test
  public void callsInFlightAreCappedAcrossWorkers() throws Exception {
    Worker first = worker();
    Worker second = worker();
    TenantConfig acme = tenant("acme", 100_000, 100_000, 1, null, 3);
    List<Ticket> firsts = new ArrayList<>();
    List<Ticket> seconds = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      firsts.add(first.admission().enqueue(PROJECT, null, acme, CallCost.ofAudio(1000)));
      seconds.add(second.admission().enqueue(PROJECT, null, acme, CallCost.ofAudio(1000)));
    }
    pollFor(200, first, firsts, second, seconds);
    assertEquals(3, granted(firsts) + granted(seconds));
    Ticket done = (granted(firsts) > 0 ? firsts : seconds).stream().filter(Ticket::isGranted).findFirst().orElseThrow();
    (firsts.contains(done) ? first : second).admission().release(PROJECT, done);
    pollFor(200, first, firsts, second, seconds);
    assertEquals("the freed slot went to one more call, on either worker", 4, granted(firsts) + granted(seconds));
  }

  private static void pollFor(long millis, Worker first, List<Ticket> firsts, Worker second, List<Ticket> seconds) {
    long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    while (System.nanoTime() < until) {
      firsts.forEach(t -> first.admission().poll(PROJECT, t));
      seconds.forEach(t -> second.admission().poll(PROJECT, t));
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
    }
  }

  private static long granted(List<Ticket> tickets) {
    return tickets.stream().filter(Ticket::isGranted).count();
  }

  @Test
  public void aLimitChangeAppliesOnTheNextEnqueue() throws Exception {
    Worker worker = worker();
    TenantConfig acme = unlimited("acme", 1);
    Queue<Grant> before = new ConcurrentLinkedQueue<>();
    drive(worker, project(3000), List.of(acme), 10, null, 0, System.nanoTime() + TimeUnit.SECONDS.toNanos(2), before);
    Queue<Grant> after = new ConcurrentLinkedQueue<>();
    drive(worker, project(600), List.of(acme), 10, null, 0, System.nanoTime() + TimeUnit.SECONDS.toNanos(2), after);
    // The burst but its reserved half at once, then 2900 a minute; then a bucket of 20 with only its reserved half
    // left, refilling 580 a minute.
    assertThat((double) before.size(), closeTo(overShareBound(3000, TimeUnit.SECONDS.toNanos(2)), 15));
    assertThat((double) after.size(), closeTo(580 / 30.0, 6));
  }

  @Test
  public void aDeadWorkersCallsLeaveTheLineAndFreeTheirSlots() throws Exception {
    Worker dying = worker(Duration.ofMillis(600));
    Worker survivor = worker();
    TenantConfig acme = tenant("acme", 100_000, 100_000, 1, null, 2);
    List<Ticket> held = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      held.add(dying.admission().enqueue(PROJECT, null, acme, CallCost.ofAudio(1000)));
    }
    pollFor(100, dying, held, survivor, List.of());
    assertEquals(2, granted(held));
    dying.close(); // never releases: its leases run out

    Ticket first = survivor.admission().enqueue(PROJECT, null, acme, CallCost.ofAudio(1000));
    Ticket second = survivor.admission().enqueue(PROJECT, null, acme, CallCost.ofAudio(1000));
    assertNotEquals("both slots are still held", 0, survivor.admission().poll(PROJECT, first));
    long firstWait = survivor.admission().await(PROJECT, first);
    long secondWait = survivor.admission().await(PROJECT, second);
    // Both slots came back, and the dead worker's waiting call did not take one of them first.
    assertThat(TimeUnit.NANOSECONDS.toMillis(Math.max(firstWait, secondWait)), greaterThanOrEqualTo(200L));
    assertThat(TimeUnit.NANOSECONDS.toMillis(Math.max(firstWait, secondWait)), lessThanOrEqualTo(3_000L));
  }

  @Test
  public void withoutRedisNoCallIsAdmittedAndTheErrorSaysSo() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    try (AdmissionStore nowhere = AdmissionStore.open(RedisEndpoint.of("127.0.0.1:" + port, null), Duration.ofSeconds(1));
        RedisAdmission admission = new RedisAdmission(nowhere, RedisAdmission.DEFAULT_LEASE)) {
      AdmissionUnavailableException e = assertThrows(AdmissionUnavailableException.class,
          () -> admission.enqueue(PROJECT, null, unlimited("acme", 1), CallCost.ofAudio(1000)));
      assertThat(e.getMessage(), containsString("127.0.0.1:" + port + " did not answer"));
      assertThat(e.getMessage(), containsString("admission fails closed"));
    }
  }
}
