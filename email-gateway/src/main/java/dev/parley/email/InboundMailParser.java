package dev.parley.email;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.InternetHeaders;
import jakarta.mail.internet.MailDateFormat;
import jakarta.mail.internet.MimeUtility;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParsePosition;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.eclipse.jetty.http.MultiPart;
import org.eclipse.jetty.http.MultiPartFormData;
import org.eclipse.jetty.io.Content;

/**
 * Reads a SendGrid Inbound Parse post ({@code multipart/form-data}: {@code headers}, {@code from},
 * {@code subject}, {@code envelope}, {@code charsets}, {@code attachment-info}, ..., then the files
 * {@code attachment1..N}) with Jetty's multipart parser, and the mail's own headers and addresses with
 * Jakarta Mail's.
 */
final class InboundMailParser {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Larger parts (the attachments, a long HTML body) are spooled to the post's workspace. */
  private static final long IN_MEMORY_PART_BYTES = 256 * 1024;
  /** SendGrid sends about a dozen fields plus the files; far more is not a mail. */
  private static final int MAX_PARTS = 500;
  private static final Pattern ATTACHMENT_FIELD = Pattern.compile("attachment(\\d{1,6})");

  /** Parses the spooled {@code body}; attachments are written to {@code partsFolder}. */
  InboundMail parse(@Nullable String contentType, Path body, Path partsFolder) throws RefusedException, IOException {
    String boundary = contentType != null && contentType.toLowerCase(Locale.ROOT).startsWith("multipart/form-data")
        ? MultiPart.extractBoundary(contentType) : null;
    if (boundary == null || boundary.isEmpty()) {
      throw new RefusedException(Refusal.MALFORMED, "the post is not multipart/form-data");
    }
    MultiPartFormData.Parser parser = new MultiPartFormData.Parser(boundary);
    parser.setFilesDirectory(partsFolder);
    parser.setMaxMemoryFileSize(IN_MEMORY_PART_BYTES);
    parser.setMaxParts(MAX_PARTS);
    try (MultiPartFormData.Parts parts = parser.parse(Content.Source.from(body)).get()) {
      return read(new Form(parts), partsFolder);
    } catch (ExecutionException e) {
      throw new RefusedException(Refusal.MALFORMED,
          "the multipart body cannot be parsed (" + e.getCause().getClass().getSimpleName() + ")");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while parsing the post", e);
    }
  }

  private static InboundMail read(Form form, Path partsFolder) throws RefusedException, IOException {
    if (form.text("email") != null) {
      // "POST the raw, full MIME message" sends the whole mail in one field and no files: not this format.
      throw new RefusedException(Refusal.MALFORMED, "raw MIME posts are not supported: turn off 'send raw' in the"
          + " parse settings");
    }
    JsonNode envelope = form.json("envelope");
    List<String> recipients = new ArrayList<>();
    envelope.path("to").forEach(to -> recipients.add(to.asText()));
    if (recipients.isEmpty()) {
      throw new RefusedException(Refusal.MALFORMED, "the envelope names no recipient");
    }
    String envelopeSender = envelope.path("from").isTextual() ? envelope.get("from").asText() : null;
    String sender = firstAddress(form.text("from"));

    String rawHeaders = form.text("headers");
    InternetHeaders headers = parseHeaders(rawHeaders);
    String messageId = header(headers, "Message-ID");
    String date = header(headers, "Date");
    Date sent = date == null ? null : new MailDateFormat().parse(date, new ParsePosition(0));

    return new InboundMail(
        recipients,
        sender != null ? sender : envelopeSender,
        form.text("subject"),
        messageId,
        messageId != null ? messageId : "headers:" + (rawHeaders == null ? "" : rawHeaders),
        sent == null ? null : sent.toInstant(),
        attachments(form, partsFolder));
  }

  private static List<MailAttachment> attachments(Form form, Path partsFolder) throws RefusedException, IOException {
    JsonNode info = form.jsonOrEmpty("attachment-info");
    List<MailAttachment> attachments = new ArrayList<>();
    int position = 0;
    for (MultiPart.Part part : form.parts) {
      if (part.getFileName() == null) {
        continue;
      }
      position++;
      String name = part.getName() == null ? "" : part.getName();
      Matcher numbered = ATTACHMENT_FIELD.matcher(name);
      int index = numbered.matches() ? Integer.parseInt(numbered.group(1)) : position;
      JsonNode described = info.path(name);
      String fileName = !part.getFileName().isBlank() ? part.getFileName() : described.path("filename").asText("");
      String contentType = part.getHeaders().get("Content-Type");
      if (contentType == null && described.path("type").isTextual()) {
        contentType = described.get("type").asText();
      }
      Path file = partsFolder.resolve("attachment-" + position);
      part.writeTo(file);
      attachments.add(new MailAttachment(index, fileName, contentType, file, Files.size(file)));
    }
    return attachments;
  }

  private static InternetHeaders parseHeaders(@Nullable String raw) throws RefusedException {
    try {
      return new InternetHeaders(
          new ByteArrayInputStream((raw == null ? "" : raw).getBytes(StandardCharsets.UTF_8)), true);
    } catch (MessagingException e) {
      throw new RefusedException(Refusal.MALFORMED, "the headers field cannot be parsed");
    }
  }

  private static @Nullable String header(InternetHeaders headers, String name) {
    String value = headers.getHeader(name, null);
    return value == null || value.isBlank() ? null : MimeUtility.unfold(value).strip();
  }

  private static @Nullable String firstAddress(@Nullable String header) {
    if (header == null || header.isBlank()) {
      return null;
    }
    try {
      InternetAddress[] addresses = InternetAddress.parseHeader(header, false);
      String address = addresses.length == 0 ? null : addresses[0].getAddress();
      return address != null && address.contains("@") ? address : null;
    } catch (AddressException e) {
      return null; // An unreadable From is treated like a missing one.
    }
  }

  /** The form's text fields, each decoded in the charset SendGrid names for it in {@code charsets}. */
  private static final class Form {
    private final MultiPartFormData.Parts parts;
    private final JsonNode charsets;

    Form(MultiPartFormData.Parts parts) throws RefusedException {
      this.parts = parts;
      MultiPart.Part field = parts.getFirst("charsets");
      this.charsets = field == null ? JSON.createObjectNode() : parseJson("charsets", field.getContentAsString(StandardCharsets.UTF_8));
    }

    @Nullable String text(String name) {
      MultiPart.Part field = parts.getFirst(name);
      return field == null ? null : field.getContentAsString(charset(name));
    }

    JsonNode json(String name) throws RefusedException {
      String text = text(name);
      if (text == null) {
        throw new RefusedException(Refusal.MALFORMED, "the " + name + " field is missing");
      }
      return parseJson(name, text);
    }

    JsonNode jsonOrEmpty(String name) throws RefusedException {
      return parts.getFirst(name) == null ? JSON.createObjectNode() : json(name);
    }

    private Charset charset(String field) {
      String name = charsets.path(field).asText("");
      try {
        return name.isEmpty() ? StandardCharsets.UTF_8 : Charset.forName(name);
      } catch (IllegalArgumentException e) {
        return StandardCharsets.UTF_8; // An unknown charset name: UTF-8 is what SendGrid sends nearly always.
      }
    }

    private static JsonNode parseJson(String name, String text) throws RefusedException {
      try {
        return JSON.readTree(text);
      } catch (JsonProcessingException e) {
        throw new RefusedException(Refusal.MALFORMED, "the " + name + " field is not JSON");
      }
    }
  }
}
