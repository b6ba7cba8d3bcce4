package dev.parley.transforms.crm;

import dev.parley.model.CallRecord;
import dev.parley.model.CrmSync;
import dev.parley.model.DeadLetter;
import dev.parley.transforms.deadletter.DeadLetters;
import dev.parley.transforms.deadletter.PayloadEncoder;
import dev.parley.transforms.logging.KeyValuesInMdc;
import dev.parley.transforms.metrics.StageMetrics;
import java.io.Serializable;
import org.apache.beam.sdk.transforms.DoFn;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Turns a push into outputs: the sync row, and for a failure a failed sync row and a dead letter. */
final class CrmOutcomes implements Serializable {
  private static final Logger LOG = LoggerFactory.getLogger(CrmOutcomes.class);
  private final PayloadEncoder<CallRecord> encoder;
  private final StageMetrics metrics;

  CrmOutcomes(PayloadEncoder<CallRecord> encoder, StageMetrics metrics) {
    this.encoder = encoder;
    this.metrics = metrics;
  }

  void emit(DoFn.MultiOutputReceiver out, CallRecord call, CrmPusher.Pushed pushed) {
    if (!pushed.failed()) {
      if (pushed.sync() != null) {
        out.get(WriteCallsToCrm.SYNCS).output(pushed.sync());
      }
      return;
    }
    metrics.incTenant("dead_letters", call.getTenantId(), 1);
    DeadLetter deadLetter = DeadLetters.of(WriteCallsToCrm.STAGE, pushed.code(), pushed.message(), call.getTenantId(),
        call.getSourceUri(), call.getCallId(), pushed.attempts(), encoder.typeName(), encoder.encode(call));
    KeyValuesInMdc.forDeadLetter(LOG.atWarn(), deadLetter).addKeyValue("crm", pushed.crm())
        .log("CRM push dead-lettered: {}", deadLetter.getMessage());
    if (!"none".equals(pushed.crm())) {
      out.get(WriteCallsToCrm.SYNCS).output(CrmPusher.sync(call, pushed.crm(), pushed.attempts())
          .setStatus(CrmSync.FAILED).setErrorCode(pushed.code().name()).setLastError(pushed.message()).build());
    }
    out.get(DeadLetters.TAG).output(deadLetter);
  }
}
