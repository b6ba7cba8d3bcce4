package dev.parley.transforms.spanner;

import dev.parley.model.CallKeyed;
import dev.parley.model.DeadLetter;
import dev.parley.model.ErrorCode;
import dev.parley.tenant.ReloadingTenantRegistry;
import dev.parley.tenant.TenantConfig;
import dev.parley.tenant.TenantConfigSpec;
import dev.parley.transforms.deadletter.DeadLetters;
import dev.parley.transforms.deadletter.PayloadEncoder;
import dev.parley.transforms.logging.KeyValuesInMdc;
import dev.parley.transforms.metrics.StageMetrics;
import java.util.List;
import java.util.Optional;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends each element to the output of its tenant's database, looked up in the current tenant config, or to the
 * dead letters when the tenant or its database is unknown to the job.
 */
final class RouteToDatabaseFn<T extends CallKeyed> extends DoFn<T, T> {
  private static final Logger LOG = LoggerFactory.getLogger(RouteToDatabaseFn.class);
  private final String stage;
  private final TenantConfigSpec tenants;
  private final SpannerTargets targets;
  private final List<TupleTag<T>> routes;
  private final PayloadEncoder<T> encoder;
  private final StageMetrics metrics;
  private transient ReloadingTenantRegistry registry;

  RouteToDatabaseFn(String stage, TenantConfigSpec tenants, SpannerTargets targets, List<TupleTag<T>> routes,
      PayloadEncoder<T> encoder) {
    this.stage = stage;
    this.tenants = tenants;
    this.targets = targets;
    this.routes = List.copyOf(routes);
    this.encoder = encoder;
    this.metrics = new StageMetrics(stage);
  }

  /** The outputs besides the first database's: the other databases and the dead letters. */
  static <T> TupleTagList otherTags(List<TupleTag<T>> routes) {
    TupleTagList list = TupleTagList.of(DeadLetters.TAG);
    for (TupleTag<T> route : routes.subList(1, routes.size())) {
      list = list.and(route);
    }
    return list;
  }

  @Setup
  public void setup() throws Exception {
    registry = tenants.open();
  }

  @ProcessElement
  public void process(@Element T element, MultiOutputReceiver out) {
    Optional<TenantConfig> tenant = registry.current().find(element.getTenantId());
    if (tenant.isEmpty()) {
      fail(out, element, ErrorCode.TENANT_UNKNOWN, "tenant left the config while the call was in flight");
      return;
    }
    Optional<SpannerDatabase> database = targets.databaseOf(tenant.get());
    int index = database.map(targets.databases()::indexOf).orElse(-1);
    if (index < 0) {
      fail(out, element, ErrorCode.STORE_DATABASE_NOT_IN_JOB, database
          .map(d -> "tenant's Spanner database " + d + " was configured after the job was built; update the job")
          .orElse("tenant has no Spanner database and the job has no shared one (--spannerDatabase)"));
      return;
    }
    metrics.incTenant("routed", element.getTenantId(), 1);
    out.get(routes.get(index)).output(element);
  }

  private void fail(MultiOutputReceiver out, T element, ErrorCode code, String message) {
    metrics.incTenant("dead_letters", element.getTenantId(), 1);
    DeadLetter deadLetter = DeadLetters.of(stage, code, message, element.getTenantId(), null, element.getCallId(), 1,
        encoder.typeName(), encoder.encode(element));
    KeyValuesInMdc.forDeadLetter(LOG.atWarn(), deadLetter)
        .log("call not routed to Spanner: {}", deadLetter.getMessage());
    out.get(DeadLetters.TAG).output(deadLetter);
  }
}
