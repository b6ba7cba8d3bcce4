package dev.parley.email;

import dev.parley.transforms.audio.AudioFormat;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Which attachments are recordings: the bytes must start like an audio container the pipeline knows (WAV,
 * MP3, FLAC, OGG, M4A, WebM, by {@link AudioFormat#sniff}), and the declared type must not say it is something
 * else. The declared type alone decides nothing: mail clients label audio {@code application/octet-stream},
 * and a name ending {@code .wav} proves nothing.
 */
final class AudioAttachments {
  /** Types under which mail systems send recordings besides {@code audio/*}: generic bytes, shared containers. */
  private static final Set<String> ALSO_AUDIO = Set.of(
      "application/octet-stream", "application/ogg", "video/mp4", "video/webm", "video/ogg", "video/x-matroska");

  private AudioAttachments() {}

  /** The recording's container, or empty when the attachment is not audio. */
  static Optional<AudioFormat> detect(MailAttachment attachment) throws IOException {
    if (!mayBeAudio(attachment.contentType())) {
      return Optional.empty();
    }
    byte[] head;
    try (InputStream in = Files.newInputStream(attachment.content())) {
      head = in.readNBytes(AudioFormat.SNIFF_BYTES);
    }
    return AudioFormat.sniff(head, head.length);
  }

  private static boolean mayBeAudio(@Nullable String contentType) {
    if (contentType == null || contentType.isBlank()) {
      return true;
    }
    String type = contentType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
    return type.startsWith("audio/") || ALSO_AUDIO.contains(type);
  }
}
