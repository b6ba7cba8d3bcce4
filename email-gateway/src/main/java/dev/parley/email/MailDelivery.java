package dev.parley.email;

import dev.parley.transforms.audio.AudioFormat;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands a routed mail to the pipeline: every audio attachment, for every tenant it was routed to, becomes one
 * recording with its sidecar in that tenant's drop prefix; other attachments are counted and left out.
 */
final class MailDelivery {
  private static final Logger LOG = LoggerFactory.getLogger(MailDelivery.class);

  private final String dropRoot;
  private final DropFolderWriter writer;
  private final GatewayMetrics metrics;
  private final Clock clock;

  /** What became of a mail's attachments, over all its tenants. */
  record Report(int stored, int duplicates, int notAudio) {}

  MailDelivery(String dropRoot, DropFolderWriter writer, GatewayMetrics metrics, Clock clock) {
    this.dropRoot = dropRoot;
    this.writer = writer;
    this.metrics = metrics;
    this.clock = clock;
  }

  /** Stores the mail's recordings; a storage failure is thrown, so that SendGrid is told to retry. */
  Report deliver(List<MailRouter.Delivery> deliveries, InboundMail mail) throws IOException {
    Instant receivedAt = clock.instant();
    int stored = 0;
    int duplicates = 0;
    int notAudio = 0;
    for (MailRouter.Delivery delivery : deliveries) {
      String tenantId = delivery.tenant().id();
      for (MailAttachment attachment : mail.attachments()) {
        Optional<AudioFormat> format = AudioAttachments.detect(attachment);
        if (format.isEmpty()) {
          notAudio++;
          metrics.notAudio(tenantId);
          LOG.atInfo().addKeyValue("tenantId", tenantId).addKeyValue("messageId", mail.messageId())
              .addKeyValue("attachmentIndex", attachment.index()).addKeyValue("contentType", attachment.contentType())
              .log("attachment ignored: not audio");
          continue;
        }
        String object = EmailObjectNames.audio(dropRoot, tenantId, mail, attachment, format.get());
        byte[] sidecar =
            CallSidecar.of(tenantId, delivery.recipient(), mail, attachment, format.get(), receivedAt).toJson();
        boolean written = writer.store(object, sidecar, attachment.content()) == DropFolderWriter.Stored.WRITTEN;
        if (written) {
          stored++;
          metrics.stored(tenantId);
        } else {
          duplicates++;
          metrics.duplicate(tenantId);
        }
        LOG.atInfo().addKeyValue("tenantId", tenantId).addKeyValue("messageId", mail.messageId())
            .addKeyValue("attachmentIndex", attachment.index()).addKeyValue("object", object)
            .log(written ? "recording stored" : "recording already stored by an earlier delivery");
      }
    }
    return new Report(stored, duplicates, notAudio);
  }
}
