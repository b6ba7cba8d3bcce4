package dev.parley.transforms.admission;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import dev.parley.tenant.ModelConfig;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.Test;

/** The send gate kept in this JVM, on a clock the test moves. */
public class LocalSendGateTest extends SendGateContract {
  private final AtomicLong now = new AtomicLong(TimeUnit.HOURS.toNanos(1));
  private final LocalAdmission admission = new LocalAdmission(now::get);

  @Override
  protected AdmissionControl admission() {
    return admission;
  }

  @Test
  public void theWindowSlidesRequestByRequest() {
    ModelConfig.ProjectLimits limits = new ModelConfig.ProjectLimits(2, null, null);
    CallCost cost = CallCost.ofAudio(1000);
    assertEquals(0, admission.trySend(PROJECT, limits, cost));
    now.addAndGet(TimeUnit.SECONDS.toNanos(30));
    assertEquals(0, admission.trySend(PROJECT, limits, cost));
    long wait = admission.trySend(PROJECT, limits, cost);
    assertEquals("until the first leaves: a minute and the margin after it was sent, 30 s ago",
        SendWindow.WINDOW_NANOS - TimeUnit.SECONDS.toNanos(30), wait);
    now.addAndGet(wait - 1);
    assertTrue("not a nanosecond earlier", admission.trySend(PROJECT, limits, cost) > 0);
    now.addAndGet(1);
    assertEquals(0, admission.trySend(PROJECT, limits, cost));
    assertTrue("the second is still in the window", admission.trySend(PROJECT, limits, cost) > 0);
  }

  @Test
  public void tokensLeaveWithTheirRequests() {
    ModelConfig.ProjectLimits limits = new ModelConfig.ProjectLimits(null, 1_000L, null);
    assertEquals(0, admission.trySend(PROJECT, limits, new CallCost(600, 0)));
    now.addAndGet(TimeUnit.SECONDS.toNanos(10));
    assertEquals(0, admission.trySend(PROJECT, limits, new CallCost(300, 0)));
    long wait = admission.trySend(PROJECT, limits, new CallCost(500, 0));
    assertEquals("the 600 must leave for 500 more to fit", SendWindow.WINDOW_NANOS - TimeUnit.SECONDS.toNanos(10), wait);
    now.addAndGet(wait);
    assertEquals(0, admission.trySend(PROJECT, limits, new CallCost(500, 0)));
  }
}
