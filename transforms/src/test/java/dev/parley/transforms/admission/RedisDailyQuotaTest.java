package dev.parley.transforms.admission;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import dev.parley.tenant.TenantConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.After;
import org.junit.Test;
import redis.clients.jedis.Jedis;

/** The daily caps counted in a real redis-server: the same rules, and one total for every worker. */
public class RedisDailyQuotaTest extends DailyCapsContract {
  private final RedisEndpoint endpoint = RedisTestServer.endpoint();
  private final List<AdmissionStore> stores = new ArrayList<>();

  /** A worker's view of the caps: a pool of its own on the shared Redis. */
  @Override
  protected DailyCaps caps() {
    AdmissionStore store = AdmissionStore.open(endpoint, AdmissionStore.GIVE_UP_AFTER);
    stores.add(store);
    return new RedisDailyQuota(store);
  }

  @After
  public void closeStores() {
    stores.forEach(AdmissionStore::close);
  }

  @Test
  public void workersCountAgainstOneTotal() {
    DailyCaps first = caps();
    DailyCaps second = caps();
    TenantConfig acme = tenant("acme", 10L);
    QuotaHolder holder = QuotaHolder.of(acme);
    Instant now = Instant.parse("2026-11-25T08:00:00Z");
    assertTrue(first.reserve(acme, holder, null, 6 * 60_000, now).isEmpty());
    assertTrue("the other worker sees those six minutes",
        second.check(acme, holder, null, 5 * 60_000, now).isPresent());
    assertTrue(second.reserve(acme, holder, null, 4 * 60_000, now).isEmpty());
    assertThat(first.reserve(acme, holder, null, 60_000, now).orElseThrow().message(),
        containsString("has used 10.0 of its 10 audio minutes"));
  }

  @Test
  public void aDaysCountersExpireAfterTheDay() {
    DailyCaps caps = caps();
    TenantConfig acme = tenant("acme", 10L);
    assertTrue(caps.reserve(acme, QuotaHolder.of(acme), null, 60_000, Instant.parse("2026-11-25T08:00:00Z")).isEmpty());
    try (Jedis jedis = new Jedis(endpoint.host(), endpoint.port())) {
      Set<String> keys = jedis.keys(endpoint.keyPrefix() + ":*");
      assertEquals("the tenant's and the project's counters of the day", 2, keys.size());
      for (String key : keys) {
        long ttl = jedis.ttl(key);
        assertTrue(key + " expires within two days", ttl > 0 && ttl <= RedisDailyQuota.KEEP.toSeconds());
        assertTrue(key + " outlives any time zone's day", ttl > Duration.ofHours(26).toSeconds());
      }
    }
  }
}
