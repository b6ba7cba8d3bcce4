package dev.parley.transforms.admission;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.junit.Assert.assertEquals;

import dev.parley.tenant.ModelConfig;
import java.util.concurrent.TimeUnit;
import org.junit.Test;

/**
 * The rules of the last gate before the wire ({@link AdmissionControl#trySend}), whoever keeps the log of sends;
 * each subclass says which. The window is a minute and {@link SendWindow#ARRIVAL_MARGIN}.
 */
public abstract class SendGateContract {
  static final String PROJECT = "gemini-api:file:///keys/shared.key/gemini-2.5-flash";
  private static final long WINDOW_MILLIS = TimeUnit.NANOSECONDS.toMillis(SendWindow.WINDOW_NANOS);

  /** An admission of its own: nothing sent yet. */
  protected abstract AdmissionControl admission();

  private static long millis(long nanos) {
    return TimeUnit.NANOSECONDS.toMillis(nanos);
  }

  @Test
  public void holdsTheRequestThatWouldPutMoreThanTheLimitIntoOneMinute() {
    AdmissionControl admission = admission();
    ModelConfig.ProjectLimits limits = new ModelConfig.ProjectLimits(3, null, null);
    CallCost cost = CallCost.ofAudio(1000);
    for (int i = 0; i < 3; i++) {
      assertEquals("request " + i + " fits", 0, admission.trySend(PROJECT, limits, cost));
    }
    long wait = millis(admission.trySend(PROJECT, limits, cost));
    assertThat("until the first send leaves the window", wait,
        allOf(greaterThan(WINDOW_MILLIS - 5_000), lessThanOrEqualTo(WINDOW_MILLIS)));
    assertEquals("a refused send is not counted: a raised limit lets the next one go at once", 0,
        admission.trySend(PROJECT, new ModelConfig.ProjectLimits(4, null, null), cost));
    assertThat(admission.trySend(PROJECT, new ModelConfig.ProjectLimits(4, null, null), cost), greaterThan(0L));
    assertEquals("another project has a window of its own", 0,
        admission.trySend(PROJECT + "-other", limits, cost));
  }

  @Test
  public void holdsTheRequestThatWouldPutMoreThanTheTokenLimitIntoOneMinute() {
    AdmissionControl admission = admission();
    ModelConfig.ProjectLimits limits = new ModelConfig.ProjectLimits(null, 1_000L, null);
    CallCost cost = new CallCost(400, 10_000);
    assertEquals(0, admission.trySend(PROJECT, limits, cost));
    assertEquals(0, admission.trySend(PROJECT, limits, cost));
    assertThat(millis(admission.trySend(PROJECT, limits, cost)), greaterThan(WINDOW_MILLIS - 5_000));
    assertEquals("a small request still fits", 0, admission.trySend(PROJECT, limits, new CallCost(200, 1_000)));
  }

  @Test
  public void aRequestLargerThanTheTokenLimitGoesAloneIntoAnEmptyWindow() {
    AdmissionControl admission = admission();
    ModelConfig.ProjectLimits limits = new ModelConfig.ProjectLimits(null, 1_000L, null);
    assertEquals(0, admission.trySend(PROJECT, limits, new CallCost(5_000, 150_000)));
    assertThat(admission.trySend(PROJECT, limits, new CallCost(10, 1_000)), greaterThan(0L));
  }

  @Test
  public void withoutProjectLimitsEveryRequestGoes() {
    AdmissionControl admission = admission();
    for (int i = 0; i < 1_000; i++) {
      assertEquals(0, admission.trySend(PROJECT, null, CallCost.ofAudio(60_000)));
    }
  }
}
