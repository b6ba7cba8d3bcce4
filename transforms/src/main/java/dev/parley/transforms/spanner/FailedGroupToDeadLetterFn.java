package dev.parley.transforms.spanner;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.cloud.spanner.Mutation;
import com.google.cloud.spanner.Value;
import dev.parley.model.DeadLetter;
import dev.parley.model.ErrorCode;
import dev.parley.transforms.deadletter.DeadLetters;
import dev.parley.transforms.logging.KeyValuesInMdc;
import dev.parley.transforms.metrics.StageMetrics;
import java.util.Map;
import org.apache.beam.sdk.io.gcp.spanner.MutationGroup;
import org.apache.beam.sdk.transforms.DoFn;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a mutation group SpannerIO could not write into a dead letter: the tenant and call from the group's
 * first row (every Parley table has TenantId and CallId columns), the mutations as JSON for replay.
 */
final class FailedGroupToDeadLetterFn extends DoFn<MutationGroup, DeadLetter> {
  private static final Logger LOG = LoggerFactory.getLogger(FailedGroupToDeadLetterFn.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  static final String PAYLOAD_TYPE = "SpannerMutationGroup";

  private final String stage;
  private final SpannerDatabase database;
  private final StageMetrics metrics;

  FailedGroupToDeadLetterFn(String stage, SpannerDatabase database) {
    this.stage = stage;
    this.database = database;
    this.metrics = new StageMetrics(stage);
  }

  @ProcessElement
  public void process(@Element MutationGroup group, OutputReceiver<DeadLetter> out) {
    Map<String, Value> primary = group.primary().asMap();
    String tenantId = text(primary.get("TenantId"));
    String callId = text(primary.get("CallId"));
    metrics.incTenant("dead_letters", tenantId, 1);
    DeadLetter deadLetter = DeadLetters.of(stage, ErrorCode.STORE_WRITE_FAILED,
        "Spanner did not commit the call's " + group.size() + " mutations (" + group.primary().getTable()
            + " and its rows) to " + database.path() + " within the commit deadline and retries; the worker log"
            + " has Spanner's status",
        tenantId, text(primary.get("SourceUri")), callId, 1, PAYLOAD_TYPE, payload(group));
    KeyValuesInMdc.forDeadLetter(LOG.atWarn(), deadLetter).addKeyValue("database", database.path())
        .addKeyValue("table", group.primary().getTable()).log("Spanner write failed; call dead-lettered");
    out.output(deadLetter);
  }

  private static @Nullable String text(@Nullable Value value) {
    return value == null || value.isNull() ? null : value.getString();
  }

  private static String payload(MutationGroup group) {
    ArrayNode mutations = JSON.createArrayNode();
    for (Mutation mutation : group) {
      ObjectNode node = mutations.addObject().put("table", mutation.getTable())
          .put("operation", mutation.getOperation().name());
      if (mutation.getOperation() == Mutation.Op.DELETE) {
        node.put("keySet", mutation.getKeySet().toString());
      } else {
        ObjectNode values = node.putObject("values");
        mutation.asMap().forEach((column, value) -> values.put(column, value.isNull() ? null : value.toString()));
      }
    }
    return mutations.toString();
  }
}
