package dev.parley.email;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local scratch folder of one post: its body as received, and the parts the multipart parser spools. The
 * body is kept whole because its signature can only be checked once all of it has arrived, and nothing of a
 * post may be stored before that. Closing deletes everything.
 */
final class PostWorkspace implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PostWorkspace.class);
  private static final int BUFFER_BYTES = 64 * 1024;

  private final Path folder;

  private PostWorkspace(Path folder) {
    this.folder = folder;
  }

  static PostWorkspace create(Path scratchRoot) throws IOException {
    return new PostWorkspace(Files.createTempDirectory(scratchRoot, "post-"));
  }

  /** A folder for the parser's files. */
  Path partsFolder() throws IOException {
    return Files.createDirectories(folder.resolve("parts"));
  }

  /**
   * Copies the body here, feeding it to {@code signature} on the way, and refuses it as soon as it passes
   * {@code maxBytes} (a chunked post declares no length up front).
   */
  Path receiveBody(InputStream body, long maxBytes, PayloadSignature signature) throws IOException, RefusedException {
    Path file = folder.resolve("body");
    byte[] buffer = new byte[BUFFER_BYTES];
    long total = 0;
    try (OutputStream out = Files.newOutputStream(file)) {
      for (int n = body.read(buffer); n >= 0; n = body.read(buffer)) {
        total += n;
        if (total > maxBytes) {
          throw new RefusedException(Refusal.TOO_LARGE, "the post is larger than " + maxBytes + " bytes");
        }
        signature.update(buffer, 0, n);
        out.write(buffer, 0, n);
      }
    }
    return file;
  }

  /** Deletes the folder. A failure is logged, not thrown: the post's answer is already decided. */
  @Override
  public void close() {
    try (Stream<Path> paths = Files.walk(folder)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    } catch (IOException | UncheckedIOException e) {
      LOG.atWarn().addKeyValue("folder", folder).setCause(e).log("cannot delete a post's scratch folder");
    }
  }
}
