package dev.parley.transforms.admission;

/** The daily caps counted in this JVM. */
public class DailyQuotaTest extends DailyCapsContract {
  @Override
  protected DailyCaps caps() {
    return new DailyQuota();
  }
}
