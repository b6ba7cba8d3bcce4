package dev.parley.transforms.admission;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import dev.parley.tenant.ModelConfig;
import dev.parley.transforms.admission.RedisTestServer.Worker;
import java.util.ArrayList;
import java.util.List;
import org.junit.After;
import org.junit.Test;

/** The send gate kept in a real redis-server, with its clock: the same rules, and one log for every worker. */
public class RedisSendGateTest extends SendGateContract {
  private final RedisEndpoint endpoint = RedisTestServer.endpoint();
  private final List<Worker> workers = new ArrayList<>();

  @Override
  protected AdmissionControl admission() {
    Worker worker = new Worker(endpoint);
    workers.add(worker);
    return worker.admission();
  }

  @After
  public void closeWorkers() {
    workers.forEach(Worker::close);
  }

  @Test
  public void workersSendIntoOneWindow() {
    AdmissionControl first = admission();
    AdmissionControl second = admission();
    ModelConfig.ProjectLimits limits = new ModelConfig.ProjectLimits(3, null, null);
    CallCost cost = CallCost.ofAudio(1000);
    assertEquals(0, first.trySend(PROJECT, limits, cost));
    assertEquals(0, second.trySend(PROJECT, limits, cost));
    assertEquals(0, first.trySend(PROJECT, limits, cost));
    assertTrue("the other worker's sends count", second.trySend(PROJECT, limits, cost) > 0);
  }

  /** The script with a window of 300 ms instead of a minute, so that sends can be seen leaving it. */
  @Test
  public void sendsLeaveTheWindowAndTheirTokensWithThem() throws InterruptedException {
    RedisScript script = RedisScript.resource("admission.lua");
    try (AdmissionStore store = AdmissionStore.open(endpoint, AdmissionStore.GIVE_UP_AFTER)) {
      List<String> keys = List.of(endpoint.keyPrefix() + ":adm:{short}");
      List<String> send = List.of("send", "60000", "2", "1000", "600", "300");
      assertEquals(0L, store.run(script, keys, send).get(0));
      assertEquals(0L, store.run(script, keys, List.of("send", "60000", "2", "1000", "300", "300")).get(0));
      long wait = (Long) store.run(script, keys, send).get(0);
      assertTrue("over both limits until the first leaves, within the window: " + wait, wait > 0 && wait <= 300_000);
      Thread.sleep(wait / 1000 + 1);
      assertEquals("the first left, with its 600 tokens", 0L, store.run(script, keys, List.of("send", "60000", "2",
          "1000", "700", "300")).get(0));
    }
  }
}
