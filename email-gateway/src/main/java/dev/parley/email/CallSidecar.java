package dev.parley.email;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.transforms.audio.AudioFormat;
import java.time.Instant;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The metadata sidecar ({@code {object}.json}) written next to a mailed recording, which the pipeline reads as
 * the call's metadata. Plain JSON; absent values are left out. Times are ISO-8601 UTC instants.
 *
 * @param source always {@code email}
 * @param from the sender's address
 * @param recipient the envelope recipient that routed the mail to this tenant
 * @param sentAt the mail's Date header
 * @param receivedAt when the gateway first stored the recording
 * @param messageId the Message-ID header
 * @param attachmentName the file name the sender gave the attachment
 * @param attachmentIndex SendGrid's attachment number (1 for {@code attachment1})
 * @param contentType the type the sender declared
 * @param audioFormat the MIME type of the container found in the bytes
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record CallSidecar(
    String source,
    String tenantId,
    @Nullable String from,
    String recipient,
    @Nullable String subject,
    @Nullable String sentAt,
    String receivedAt,
    @Nullable String messageId,
    String attachmentName,
    int attachmentIndex,
    @Nullable String contentType,
    String audioFormat,
    long sizeBytes) {
  static final String SOURCE = "email";
  private static final ObjectMapper JSON = new ObjectMapper();

  static CallSidecar of(String tenantId, String recipient, InboundMail mail, MailAttachment attachment,
      AudioFormat format, Instant receivedAt) {
    return new CallSidecar(SOURCE, tenantId, mail.sender(), recipient, mail.subject(),
        mail.sentAt() == null ? null : mail.sentAt().toString(), receivedAt.toString(), mail.messageId(),
        attachment.fileName(), attachment.index(), attachment.contentType(), format.mimeType(), attachment.sizeBytes());
  }

  byte[] toJson() {
    try {
      return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(this);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a record of strings and numbers always serialises", e);
    }
  }
}
