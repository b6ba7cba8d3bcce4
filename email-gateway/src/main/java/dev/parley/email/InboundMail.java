package dev.parley.email;

import java.time.Instant;
import java.util.List;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * One mail as SendGrid Inbound Parse posted it, reduced to what the gateway routes and records.
 *
 * @param recipients the SMTP envelope's recipients: who the mail was delivered to, whatever its headers say
 * @param sender the From header's address (the one DMARC aligns and people see), else the envelope sender
 * @param messageId the Message-ID header, as written
 * @param dedupeKey what identifies this mail across SendGrid's retries: the Message-ID, or the whole header
 *     block when there is none (the same on every retry too)
 * @param sentAt the Date header
 */
record InboundMail(
    List<String> recipients,
    @Nullable String sender,
    @Nullable String subject,
    @Nullable String messageId,
    String dedupeKey,
    @Nullable Instant sentAt,
    List<MailAttachment> attachments) {

  InboundMail {
    recipients = List.copyOf(recipients);
    attachments = List.copyOf(attachments);
  }
}
