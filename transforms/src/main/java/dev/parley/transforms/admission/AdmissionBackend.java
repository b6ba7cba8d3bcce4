package dev.parley.transforms.admission;

import java.io.Serializable;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Which admission a job uses, carried to the workers (like {@code TenantConfigSpec}), where {@link #admission}
 * and {@link #dailyCaps} give this JVM's shared instances: {@code local} (one JVM: the DirectRunner, a single
 * worker), {@code redis} (every worker of every job naming the same {@link RedisEndpoint}), or {@code none} (the
 * quota benchmark's baseline only).
 */
public record AdmissionBackend(Kind kind, @Nullable RedisEndpoint redis) implements Serializable {
  public enum Kind {
    NONE,
    LOCAL,
    REDIS
  }

  public AdmissionBackend {
    if ((kind == Kind.REDIS) != (redis != null)) {
      throw new IllegalArgumentException("a Redis endpoint goes with the redis backend, and only with it");
    }
  }

  public static AdmissionBackend none() {
    return new AdmissionBackend(Kind.NONE, null);
  }

  public static AdmissionBackend local() {
    return new AdmissionBackend(Kind.LOCAL, null);
  }

  public static AdmissionBackend redis(RedisEndpoint endpoint) {
    return new AdmissionBackend(Kind.REDIS, endpoint);
  }

  public AdmissionControl admission() {
    return switch (kind) {
      case NONE -> NoAdmission.instance();
      case LOCAL -> LocalAdmission.shared();
      case REDIS -> RedisAdmission.shared(redis);
    };
  }

  /** The daily caps: counted in Redis with the redis backend, else in this JVM. */
  public DailyCaps dailyCaps() {
    return kind == Kind.REDIS ? RedisDailyQuota.shared(redis) : DailyQuota.shared();
  }
}
