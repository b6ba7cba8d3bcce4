package dev.parley.tenant;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tenant config a running job sees: loaded once per JVM and re-read in the background every
 * {@code interval} (Mimir reloads its runtime config every 10 s), so a change of limits or a new tenant
 * reaches a streaming job without a restart. A reload that fails validation is logged with every problem and
 * ignored: the job keeps serving the last good snapshot rather than stopping.
 *
 * <p>DoFns obtain it with {@link #shared} in {@code @Setup}; all DoFn instances in a worker JVM share one
 * instance (and one reload thread) per set of locations.
 */
public final class ReloadingTenantRegistry {
  private static final Logger LOG = LoggerFactory.getLogger(ReloadingTenantRegistry.class);
  private static final Map<String, ReloadingTenantRegistry> SHARED = new ConcurrentHashMap<>();

  private final List<String> locations;
  private final AtomicReference<TenantRegistry> current;
  private final AtomicLong failedReloads = new AtomicLong();
  private final ScheduledExecutorService reloader;

  private ReloadingTenantRegistry(List<String> locations, Duration interval) throws TenantConfigException {
    this.locations = List.copyOf(locations);
    this.current = new AtomicReference<>(TenantConfigLoader.load(this.locations));
    this.reloader = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread thread = new Thread(r, "parley-tenant-config-reload");
      thread.setDaemon(true);
      return thread;
    });
    long millis = Math.max(1, interval.toMillis());
    reloader.scheduleWithFixedDelay(this::reload, millis, millis, TimeUnit.MILLISECONDS);
  }

  /** The JVM-wide instance for these locations, loading it on first use. */
  public static ReloadingTenantRegistry shared(List<String> locations, Duration interval)
      throws TenantConfigException {
    String key = String.join("\n", locations) + "\n" + interval.toMillis();
    ReloadingTenantRegistry existing = SHARED.get(key);
    if (existing != null) {
      return existing;
    }
    synchronized (SHARED) {
      existing = SHARED.get(key);
      if (existing == null) {
        existing = new ReloadingTenantRegistry(locations, interval);
        SHARED.put(key, existing);
      }
      return existing;
    }
  }

  /** The latest valid snapshot. Never blocks. */
  public TenantRegistry current() {
    return current.get();
  }

  /** Reloads that were refused since start; exported as a metric by the stages. */
  public long failedReloads() {
    return failedReloads.get();
  }

  /** Re-reads the locations now; returns whether the config changed. Called by the timer and by tests. */
  public boolean reload() {
    try {
      TenantRegistry next = TenantConfigLoader.load(locations);
      TenantRegistry previous = current.get();
      if (next.fingerprint().equals(previous.fingerprint())) {
        return false;
      }
      current.set(next);
      LOG.atInfo()
          .addKeyValue("fingerprint", next.fingerprint())
          .addKeyValue("tenants", next.tenants().size())
          .log("tenant config reloaded");
      return true;
    } catch (TenantConfigException e) {
      failedReloads.incrementAndGet();
      LOG.atError()
          .addKeyValue("problems", e.problems().size())
          .log("tenant config reload refused; keeping the last good config. {}", e.getMessage());
      return false;
    } catch (RuntimeException e) {
      failedReloads.incrementAndGet();
      LOG.atError().setCause(e).log("tenant config reload failed; keeping the last good config");
      return false;
    }
  }
}
