package dev.parley.email;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.MoveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.util.MimeTypes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a recording and its sidecar into a drop prefix through Beam's {@link FileSystems} (a local folder, or
 * gs:// with the GCP extensions on the classpath), so that the pipeline never sees half of either: each is
 * written under a temporary name the pipeline skips and then renamed into place, the sidecar first, because the
 * pipeline reads the sidecar when the recording appears. A recording already in place is left alone.
 */
final class DropFolderWriter {
  private static final Logger LOG = LoggerFactory.getLogger(DropFolderWriter.class);

  /** What {@link #store} did. */
  enum Stored {
    WRITTEN,
    ALREADY_THERE
  }

  /**
   * Stores {@code content} as {@code object} with {@code sidecar} beside it, unless {@code object} exists.
   * On failure nothing new is left in place: the temporaries and this call's sidecar are removed.
   */
  Stored store(String object, byte[] sidecar, Path content) throws IOException {
    ResourceId target = FileSystems.matchNewResource(object, false);
    if (exists(target)) {
      return Stored.ALREADY_THERE;
    }
    ResourceId sidecarTarget = FileSystems.matchNewResource(EmailObjectNames.sidecar(object), false);
    writeIntoPlace(sidecarTarget, new ByteArrayInputStream(sidecar), "application/json");
    try (InputStream in = Files.newInputStream(content)) {
      writeIntoPlace(target, in, MimeTypes.BINARY);
    } catch (IOException | RuntimeException e) {
      deleteQuietly(sidecarTarget);
      throw e;
    }
    return Stored.WRITTEN;
  }

  private static void writeIntoPlace(ResourceId target, InputStream content, String mimeType) throws IOException {
    ResourceId temporary = FileSystems.matchNewResource(
        EmailObjectNames.temporary(target.toString(), UUID.randomUUID().toString()), false);
    try {
      try (OutputStream out = Channels.newOutputStream(FileSystems.create(temporary, mimeType))) {
        content.transferTo(out);
      }
      // Local: an atomic rename. GCS: a copy, which creates the object whole, then a delete.
      FileSystems.rename(List.of(temporary), List.of(target));
    } catch (IOException | RuntimeException e) {
      deleteQuietly(temporary);
      throw e;
    }
  }

  /**
   * Whether exactly {@code resource} exists. {@code match} reads its argument as a glob, and tenant ids may hold
   * {@code *}, so the matches are compared with the resource itself.
   */
  private static boolean exists(ResourceId resource) throws IOException {
    MatchResult result = FileSystems.match(List.of(resource.toString())).get(0);
    return switch (result.status()) {
      case OK -> result.metadata().stream().anyMatch(m -> m.resourceId().equals(resource));
      case NOT_FOUND -> false;
      default -> throw new IOException("cannot tell whether " + resource + " exists: " + result.status());
    };
  }

  private static void deleteQuietly(ResourceId resource) {
    try {
      FileSystems.delete(List.of(resource), MoveOptions.StandardMoveOptions.IGNORE_MISSING_FILES);
    } catch (IOException | RuntimeException e) {
      LOG.atWarn().addKeyValue("object", resource).setCause(e).log("could not remove a partial write");
    }
  }
}
