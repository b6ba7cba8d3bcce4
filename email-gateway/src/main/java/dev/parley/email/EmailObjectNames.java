package dev.parley.email;

import dev.parley.transforms.audio.AudioFormat;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.Locale;

/**
 * Where a mailed recording lands: {@code {drop}/{tenant}/email/{yyyy-MM-dd}/{key}-{index}-{name}}, where
 * {@code key} is the first 16 hex digits of the SHA-256 of the mail's Message-ID. Every part is a function of
 * the mail itself, never of when it arrived, so each of SendGrid's retries names the same object and is
 * recognised as a duplicate; the date is the mail's Date header for the same reason.
 */
final class EmailObjectNames {
  static final String FOLDER = "email";
  static final String UNDATED = "undated";
  private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(ZoneOffset.UTC);
  private static final int KEY_HEX_DIGITS = 16;
  /** Keeps whole names far below GCS's 1024-byte limit, with the tenant id's 150 bytes in front. */
  private static final int MAX_NAME_CHARS = 100;

  private EmailObjectNames() {}

  /** The recording's object: local path or gs:// URI, under {@code dropRoot}. */
  static String audio(String dropRoot, String tenantId, InboundMail mail, MailAttachment attachment, AudioFormat format) {
    String day = mail.sentAt() == null ? UNDATED : DAY.format(mail.sentAt());
    String name = key(mail.dedupeKey()) + "-" + attachment.index() + "-" + safeName(attachment.fileName(), format);
    return (dropRoot.endsWith("/") ? dropRoot : dropRoot + "/") + tenantId + "/" + FOLDER + "/" + day + "/" + name;
  }

  /** The metadata sidecar that the pipeline reads with {@code object}. */
  static String sidecar(String object) {
    return object + ".json";
  }

  /**
   * A name next to {@code object} that the pipeline skips while it is being written (a dotfile ending in
   * {@code .part}, see {@code ObjectNames.isSkipped}); {@code nonce} keeps two concurrent writers apart.
   */
  static String temporary(String object, String nonce) {
    int slash = object.lastIndexOf('/');
    return object.substring(0, slash + 1) + "." + object.substring(slash + 1) + "." + nonce + ".part";
  }

  /**
   * The sender's file name made safe for object names: its last path segment, only {@code [A-Za-z0-9._-]},
   * no leading dot, at most {@value #MAX_NAME_CHARS} characters (the end kept), and ending in the extension of
   * the detected format, so that no name the sender picks ({@code x.json}, {@code x.part}) hides it.
   */
  static String safeName(String fileName, AudioFormat format) {
    String name = fileName.substring(Math.max(fileName.lastIndexOf('/'), fileName.lastIndexOf('\\')) + 1)
        .replaceAll("[^A-Za-z0-9._-]+", "_");
    if (name.length() > MAX_NAME_CHARS) {
      name = name.substring(name.length() - MAX_NAME_CHARS);
    }
    name = name.replaceFirst("^[._-]+", "");
    if (name.isEmpty()) {
      name = "recording";
    }
    String extension = "." + format.name().toLowerCase(Locale.ROOT);
    return name.toLowerCase(Locale.ROOT).endsWith(extension) ? name : name + extension;
  }

  /** The first 16 hex digits of the SHA-256 of {@code dedupeKey}: 64 bits, no collision among a tenant's mails. */
  static String key(String dedupeKey) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(dedupeKey.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest).substring(0, KEY_HEX_DIGITS);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
