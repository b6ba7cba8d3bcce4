package dev.parley.transforms.admission;

import dev.parley.tenant.SecretResolver;
import dev.parley.tenant.SecretUnavailableException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.beam.sdk.util.BackOff;
import org.apache.beam.sdk.util.FluentBackoff;
import org.apache.beam.sdk.util.Sleeper;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.Connection;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisConnectionException;

/**
 * The Redis instance that holds the shared admission state, reached through a connection pool, and the rule for
 * when it cannot be reached. One store per endpoint per JVM ({@link #shared}), created on first use and closed when
 * the JVM shuts down.
 *
 * <p>When Redis does not answer, admission fails closed: it retries with backoff for up to {@link #GIVE_UP_AFTER}
 * (a Memorystore failover takes well under that), admitting nothing meanwhile, then throws
 * {@link AdmissionUnavailableException}, so the runner retries the work. Falling back to per-worker admission
 * instead would let every worker spend the whole project quota (N workers, N times the quota: a storm of 429s)
 * and every worker count the daily caps afresh (tenants billed past their caps), which is worse than waiting.
 */
final class AdmissionStore implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AdmissionStore.class);
  static final Duration GIVE_UP_AFTER = Duration.ofSeconds(60);
  private static final int TIMEOUT_MILLIS = 2_000;
  private static final Map<RedisEndpoint, AdmissionStore> SHARED = new ConcurrentHashMap<>();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(
        () -> SHARED.values().forEach(AdmissionStore::close), "parley-admission-store-close"));
  }

  private final RedisEndpoint endpoint;
  private final UnifiedJedis client;
  private final Duration giveUpAfter;

  private AdmissionStore(RedisEndpoint endpoint, UnifiedJedis client, Duration giveUpAfter) {
    this.endpoint = endpoint;
    this.client = client;
    this.giveUpAfter = giveUpAfter;
  }

  static AdmissionStore shared(RedisEndpoint endpoint) {
    return SHARED.computeIfAbsent(endpoint, e -> open(e, GIVE_UP_AFTER));
  }

  /**
   * A store of its own, with its own pool, that gives up after {@code giveUpAfter} without an answer: for a caller
   * that closes it (tests stand in for several workers).
   */
  static AdmissionStore open(RedisEndpoint endpoint, Duration giveUpAfter) {
    DefaultJedisClientConfig.Builder config = DefaultJedisClientConfig.builder()
        .connectionTimeoutMillis(TIMEOUT_MILLIS)
        .socketTimeoutMillis(TIMEOUT_MILLIS)
        .database(endpoint.database())
        .ssl(endpoint.tls())
        .clientName("parley-admission");
    if (endpoint.auth() != null) {
      try (SecretResolver secrets = new SecretResolver()) {
        config.password(secrets.resolve(endpoint.auth()));
      } catch (SecretUnavailableException e) {
        throw new AdmissionUnavailableException("the admission store's AUTH string is unavailable: "
            + e.getMessage(), e);
      }
    }
    GenericObjectPoolConfig<Connection> pool = new GenericObjectPoolConfig<>();
    pool.setMaxTotal(32); // a worker's admission calls are short: a few connections serve many threads
    pool.setJmxEnabled(false);
    RedisClient client = RedisClient.builder().hostAndPort(endpoint.host(), endpoint.port())
        .clientConfig(config.build()).poolConfig(pool).build();
    LOG.atInfo().addKeyValue("redis", endpoint.uri()).addKeyValue("keyPrefix", endpoint.keyPrefix())
        .log("admission store opened");
    return new AdmissionStore(endpoint, client, giveUpAfter);
  }

  RedisEndpoint endpoint() {
    return endpoint;
  }

  /**
   * Runs the script once, for what a lease undoes anyway (a release, a cancel): when Redis cannot be reached, the
   * ticket's lease runs out instead, and the caller is not held up. Says whether it ran.
   */
  boolean runOnce(RedisScript script, List<String> keys, List<String> args) {
    try {
      script.run(client, keys, args);
      return true;
    } catch (JedisConnectionException e) {
      LOG.atWarn().addKeyValue("redis", endpoint.uri()).addKeyValue("script", script.toString())
          .addKeyValue("cause", e.getMessage()).log("admission store unreachable: left to the ticket's lease");
      return false;
    }
  }

  /** Runs the script, retrying while Redis cannot be reached (fail closed, see the class comment). */
  List<Object> run(RedisScript script, List<String> keys, List<String> args) {
    BackOff backoff = FluentBackoff.DEFAULT
        .withInitialBackoff(org.joda.time.Duration.millis(100))
        .withMaxBackoff(org.joda.time.Duration.standardSeconds(5))
        .withMaxCumulativeBackoff(org.joda.time.Duration.millis(giveUpAfter.toMillis()))
        .backoff();
    while (true) {
      try {
        @SuppressWarnings("unchecked")
        List<Object> reply = (List<Object>) script.run(client, keys, args);
        return reply;
      } catch (JedisConnectionException e) {
        long waitMillis = backoff.nextBackOffMillis();
        if (waitMillis == BackOff.STOP) {
          throw new AdmissionUnavailableException("the admission store " + endpoint.uri() + " did not answer for "
              + giveUpAfter.toSeconds() + " s; no model call is admitted without it (admission fails closed). "
              + "Check that the workers reach it (network, firewall, AUTH, TLS).", e);
        }
        LOG.atWarn().addKeyValue("redis", endpoint.uri()).addKeyValue("script", script.toString())
            .addKeyValue("retryInMillis", waitMillis).addKeyValue("cause", e.getMessage())
            .log("admission store unreachable: no call is admitted until it answers");
        try {
          Sleeper.DEFAULT.sleep(waitMillis);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw new AdmissionUnavailableException("interrupted while waiting for the admission store", e);
        }
      }
    }
  }

  @Override
  public void close() {
    client.close();
  }
}
