package dev.parley.transforms.admission;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisConnectionException;

/**
 * A real redis-server for the tests: the one at {@code PARLEY_TEST_REDIS} (host:port; {@code .ci/run} starts it),
 * else one this JVM starts from the {@code redis-server} on the PATH and stops when it exits. No Redis at all
 * fails the test that asked: these tests are never skipped.
 */
public final class RedisTestServer {
  public static final String ADDRESS_VARIABLE = "PARLEY_TEST_REDIS";
  private static String address;

  private RedisTestServer() {}

  /** A simulated worker: a pool and an admission of its own on the endpoint, as another JVM would have. */
  public static final class Worker implements AutoCloseable {
    private final AdmissionStore store;
    private final RedisAdmission admission;

    public Worker(RedisEndpoint endpoint) {
      this(endpoint, RedisAdmission.DEFAULT_LEASE);
    }

    Worker(RedisEndpoint endpoint, Duration lease) {
      store = AdmissionStore.open(endpoint, AdmissionStore.GIVE_UP_AFTER);
      admission = new RedisAdmission(store, lease);
    }

    public RedisAdmission admission() {
      return admission;
    }

    /** Stops as a dead worker would: nothing released, nothing renewed. */
    @Override
    public void close() {
      admission.close();
      store.close();
    }
  }

  /** An endpoint on the test server with a key prefix of its own, so tests never see each other's state. */
  public static RedisEndpoint endpoint() {
    return RedisEndpoint.of("redis://" + address(), null).withKeyPrefix("test-" + UUID.randomUUID());
  }

  public static synchronized String address() {
    if (address == null) {
      String given = System.getenv(ADDRESS_VARIABLE);
      address = given != null && !given.isBlank() ? given.strip() : start();
      if (!answers(address)) {
        throw new AssertionError("no Redis answers at " + address + " (" + ADDRESS_VARIABLE + ")");
      }
    }
    return address;
  }

  private static String start() {
    Path binary = Arrays.stream(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
        .map(dir -> Path.of(dir, "redis-server")).filter(Files::isExecutable).findFirst()
        .orElseThrow(() -> new AssertionError("the Redis tests need a Redis: set " + ADDRESS_VARIABLE
            + "=host:port, or install redis-server (apt-get install -y redis-server)"));
    int port = freePort();
    try {
      Process server = new ProcessBuilder(binary.toString(), "--port", Integer.toString(port), "--bind", "127.0.0.1",
          "--save", "", "--appendonly", "no").redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      Runtime.getRuntime().addShutdownHook(new Thread(server::destroy));
      String started = "127.0.0.1:" + port;
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (!answers(started)) {
        if (!server.isAlive() || System.nanoTime() > deadline) {
          throw new AssertionError("redis-server did not start on port " + port);
        }
        TimeUnit.MILLISECONDS.sleep(20);
      }
      return started;
    } catch (IOException | InterruptedException e) {
      throw new AssertionError("could not start redis-server", e);
    }
  }

  private static boolean answers(String hostPort) {
    String[] parts = hostPort.split(":");
    try (Jedis jedis = new Jedis(parts[0], Integer.parseInt(parts[1]))) {
      return "PONG".equals(jedis.ping());
    } catch (JedisConnectionException e) {
      return false;
    }
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new AssertionError("no free port", e);
    }
  }
}
