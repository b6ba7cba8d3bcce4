package dev.parley.email;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.MultiPart;
import org.eclipse.jetty.http.MultiPartFormData;
import org.eclipse.jetty.io.Content;

/**
 * A mail as SendGrid Inbound Parse posts it (default, not raw, mode): the form fields {@code headers},
 * {@code dkim}, {@code to}, {@code from}, {@code text}, {@code html}, {@code sender_ip}, {@code envelope},
 * {@code attachments}, {@code subject}, {@code spam_score}, {@code attachment-info}, {@code charsets},
 * {@code SPF}, then the files {@code attachment1..N}. The body is built by Jetty's multipart writer.
 */
public final class ParseMail {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> USUAL_FIELDS = Set.of("headers", "dkim", "to", "from", "text", "html", "sender_ip",
      "envelope", "attachments", "subject", "spam_score", "attachment-info", "charsets", "SPF");

  private final List<String> envelopeTo = new ArrayList<>();
  private final List<Attachment> attachments = new ArrayList<>();
  private final Map<String, String> replacedFields = new HashMap<>();
  private String from = "Voicemail <voicemail@acme-pbx.example>";
  private final String envelopeFrom = "bounces+1234@acme-pbx.example";
  private String subject = "Voicemail from +1 415 555 0100";
  private String messageId = "<vm-20261125-0001@acme-pbx.example>";
  private static final Instant SENT = Instant.parse("2026-11-25T09:59:58Z");
  private Charset subjectCharset = StandardCharsets.UTF_8;

  private record Attachment(String fileName, String contentType, byte[] content) {}

  /** The mail as posted: the multipart body and its Content-Type with the boundary. */
  public record Post(String contentType, byte[] body) {}

  private ParseMail(String recipient) {
    envelopeTo.add(recipient);
  }

  /** A mail whose SMTP envelope delivers it to {@code recipient}. */
  public static ParseMail to(String recipient) {
    return new ParseMail(recipient);
  }

  public ParseMail alsoTo(String recipient) {
    envelopeTo.add(recipient);
    return this;
  }

  /** The From header, e.g. {@code Voicemail <voicemail@acme-pbx.example>}. */
  public ParseMail from(String fromHeader) {
    this.from = fromHeader;
    return this;
  }

  public ParseMail subject(String subject, Charset charset) {
    this.subject = subject;
    this.subjectCharset = charset;
    return this;
  }

  /** The Message-ID header; null leaves it out. */
  public ParseMail messageId(String messageId) {
    this.messageId = messageId;
    return this;
  }

  public ParseMail attach(String fileName, String contentType, byte[] content) {
    attachments.add(new Attachment(fileName, contentType, content));
    return this;
  }

  /** Posts {@code value} as the form field {@code name} instead of the usual one; null leaves the field out. */
  public ParseMail field(String name, String value) {
    replacedFields.put(name, value);
    return this;
  }

  public String messageId() {
    return messageId;
  }

  /** Builds the post. */
  public Post post() {
    String boundary = MultiPart.generateBoundary("xYzZY", 24);
    MultiPartFormData.ContentSource form = new MultiPartFormData.ContentSource(boundary);
    field(form, "headers", headers(), StandardCharsets.UTF_8);
    field(form, "dkim", "{@acme-pbx.example : pass}", StandardCharsets.UTF_8);
    field(form, "to", String.join(", ", envelopeTo), StandardCharsets.UTF_8);
    field(form, "from", from, StandardCharsets.UTF_8);
    field(form, "text", "A new voicemail is attached.\n", StandardCharsets.UTF_8);
    field(form, "html", "<p>A new voicemail is attached.</p>", StandardCharsets.UTF_8);
    field(form, "sender_ip", "203.0.113.7", StandardCharsets.UTF_8);
    field(form, "envelope", envelope(), StandardCharsets.UTF_8);
    field(form, "attachments", Integer.toString(attachments.size()), StandardCharsets.UTF_8);
    field(form, "subject", subject, subjectCharset);
    field(form, "spam_score", "0.1", StandardCharsets.UTF_8);
    field(form, "attachment-info", attachmentInfo(), StandardCharsets.UTF_8);
    field(form, "charsets", charsets(), StandardCharsets.UTF_8);
    field(form, "SPF", "pass", StandardCharsets.UTF_8);
    replacedFields.forEach((name, value) -> {
      if (value != null && !USUAL_FIELDS.contains(name)) {
        field(form, name, value, StandardCharsets.UTF_8);
      }
    });
    for (int i = 0; i < attachments.size(); i++) {
      Attachment attachment = attachments.get(i);
      form.addPart(new MultiPart.ByteBufferPart("attachment" + (i + 1), attachment.fileName(),
          HttpFields.build().put(HttpHeader.CONTENT_TYPE, attachment.contentType()),
          ByteBuffer.wrap(attachment.content())));
    }
    form.close();
    try {
      ByteBuffer body = Content.Source.asByteBuffer(form);
      byte[] bytes = new byte[body.remaining()];
      body.get(bytes);
      return new Post("multipart/form-data; boundary=" + boundary, bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private String headers() {
    StringBuilder out = new StringBuilder()
        .append("Received: by mx0047p1mdw1.sendgrid.net with SMTP id 7dPtKAKxQp; ")
        .append(DateTimeFormatter.RFC_1123_DATE_TIME.format(SENT.plusSeconds(2).atOffset(ZoneOffset.UTC))).append("\n")
        .append("From: ").append(from).append("\n")
        .append("To: ").append(String.join(", ", envelopeTo)).append("\n")
        .append("Subject: ").append(subject).append("\n")
        .append("Date: ").append(DateTimeFormatter.RFC_1123_DATE_TIME.format(SENT.atOffset(ZoneOffset.UTC))).append("\n");
    if (messageId != null) {
      out.append("Message-ID:\n ").append(messageId).append("\n"); // Folded, as long ids often are.
    }
    return out.append("MIME-Version: 1.0\n").append("Content-Type: multipart/mixed; boundary=\"b1\"\n").toString();
  }

  private String envelope() {
    ObjectNode envelope = JSON.createObjectNode().put("from", envelopeFrom);
    ArrayNode to = envelope.putArray("to");
    envelopeTo.forEach(to::add);
    return envelope.toString();
  }

  private String attachmentInfo() {
    ObjectNode info = JSON.createObjectNode();
    for (int i = 0; i < attachments.size(); i++) {
      info.putObject("attachment" + (i + 1)).put("filename", attachments.get(i).fileName())
          .put("name", attachments.get(i).fileName()).put("type", attachments.get(i).contentType());
    }
    return info.toString();
  }

  private String charsets() {
    return JSON.createObjectNode().put("to", "UTF-8").put("from", "UTF-8").put("subject", subjectCharset.name())
        .put("text", "UTF-8").put("html", "UTF-8").toString();
  }

  private void field(MultiPartFormData.ContentSource form, String name, String usual, Charset charset) {
    String value = replacedFields.getOrDefault(name, usual);
    if (value == null) {
      return;
    }
    form.addPart(new MultiPart.ByteBufferPart(name, null, HttpFields.EMPTY, ByteBuffer.wrap(value.getBytes(charset))));
  }
}
