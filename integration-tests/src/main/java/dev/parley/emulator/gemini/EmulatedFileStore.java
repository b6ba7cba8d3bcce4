package dev.parley.emulator.gemini;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The Gemini API's Files API as the google-genai SDK drives it: a resumable upload started on
 * {@code POST /upload/v1beta/files} ({@code X-Goog-Upload-Command: start}, answered with an
 * {@code X-Goog-Upload-URL}), chunks posted to that URL ({@code upload}, then {@code upload, finalize}, with
 * {@code X-Goog-Upload-Offset} and answered with {@code X-Goog-Upload-Status: active} or {@code final}), then
 * {@code GET} and {@code DELETE} on {@code /v1beta/files/{id}}, and {@code GET /v1beta/files/{id}:download?alt=media}.
 *
 * <p>Uploaded bytes go to a temporary folder, never the heap, and their digest is computed as they arrive; the
 * emulator can therefore take 100 MB uploads in the same JVM as the code it measures.
 */
final class EmulatedFileStore implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A finished upload. */
  record StoredFile(String id, String mimeType, long sizeBytes, String sha256, Path path) {}

  private static final class Session {
    final String mimeType;
    final long declaredSize;
    final Path path;
    final MessageDigest digest;
    long received;

    Session(String mimeType, long declaredSize, Path path) throws NoSuchAlgorithmException {
      this.mimeType = mimeType;
      this.declaredSize = declaredSize;
      this.path = path;
      this.digest = MessageDigest.getInstance("SHA-256");
    }
  }

  private final Path folder;
  private final Map<String, Session> sessions = new ConcurrentHashMap<>();
  private final Map<String, StoredFile> files = new ConcurrentHashMap<>();
  private final AtomicInteger deleted = new AtomicInteger();

  EmulatedFileStore() throws IOException {
    this.folder = Files.createTempDirectory("gemini-emulator-files");
  }

  /** Files uploaded and not deleted. */
  int liveFiles() {
    return files.size();
  }

  int deletedFiles() {
    return deleted.get();
  }

  Optional<StoredFile> byUri(String uri) {
    int at = uri.lastIndexOf("/files/");
    return at < 0 ? Optional.empty() : Optional.ofNullable(files.get(uri.substring(at + "/files/".length())));
  }

  /** A file by its resource name, {@code files/{id}}. */
  Optional<StoredFile> byName(String name) {
    return name.startsWith("files/") ? Optional.ofNullable(files.get(name.substring("files/".length()))) : Optional.empty();
  }

  /** Stores a file the service made itself (a batch job's responses). */
  StoredFile store(byte[] bytes, String mimeType) throws IOException {
    String id = UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    Path path = folder.resolve(id);
    Files.write(path, bytes);
    StoredFile file = new StoredFile(id, mimeType, bytes.length, GeminiEmulator.sha256(bytes), path);
    files.put(id, file);
    return file;
  }

  /** Handles any request under {@code /upload/} or {@code /v1beta/files}; false when the path is not ours. */
  boolean handle(HttpExchange exchange, String baseUrl) throws IOException, NoSuchAlgorithmException {
    String path = exchange.getRequestURI().getPath();
    String method = exchange.getRequestMethod();
    if (path.endsWith("/upload/v1beta/files") || path.equals("/upload/v1beta/files")) {
      String query = exchange.getRequestURI().getQuery();
      if (query != null && query.contains("upload_id=")) {
        chunk(exchange, query.substring(query.indexOf("upload_id=") + "upload_id=".length()).split("&")[0], baseUrl);
      } else {
        start(exchange, baseUrl);
      }
      return true;
    }
    if (path.matches("/v1(beta)?/files/[^/]+")) {
      String id = path.substring(path.lastIndexOf('/') + 1);
      boolean download = id.endsWith(":download");
      StoredFile file = files.get(download ? id.substring(0, id.length() - ":download".length()) : id);
      if (file != null && download) {
        exchange.getResponseHeaders().set("Content-Type", file.mimeType());
        exchange.sendResponseHeaders(200, file.sizeBytes() == 0 ? -1 : file.sizeBytes());
        try (OutputStream out = exchange.getResponseBody()) {
          Files.copy(file.path(), out);
        }
      } else if (file == null) {
        GeminiEmulator.send(exchange, 404, GeminiEmulator.error(404, "File " + id + " not found.", "NOT_FOUND"));
      } else if (method.equals("DELETE")) {
        files.remove(id);
        Files.deleteIfExists(file.path());
        deleted.incrementAndGet();
        GeminiEmulator.send(exchange, 200, "{}");
      } else {
        GeminiEmulator.send(exchange, 200, describe(file, baseUrl).toString());
      }
      return true;
    }
    return false;
  }

  private void start(HttpExchange exchange, String baseUrl) throws IOException, NoSuchAlgorithmException {
    String command = exchange.getRequestHeaders().getFirst("X-Goog-Upload-Command");
    exchange.getRequestBody().readAllBytes();
    if (!"start".equalsIgnoreCase(command)) {
      GeminiEmulator.send(exchange, 400, GeminiEmulator.error(400, "Upload must start with X-Goog-Upload-Command: start",
          "INVALID_ARGUMENT"));
      return;
    }
    String mimeType = exchange.getRequestHeaders().getFirst("X-Goog-Upload-Header-Content-Type");
    String length = exchange.getRequestHeaders().getFirst("X-Goog-Upload-Header-Content-Length");
    if (mimeType == null || mimeType.isBlank()) {
      GeminiEmulator.send(exchange, 400, GeminiEmulator.error(400, "Upload has no mime type.", "INVALID_ARGUMENT"));
      return;
    }
    String id = UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    sessions.put(id, new Session(mimeType, length == null ? -1 : Long.parseLong(length), folder.resolve(id)));
    exchange.getResponseHeaders().set("X-Goog-Upload-URL", baseUrl + "/upload/v1beta/files?upload_id=" + id
        + "&upload_protocol=resumable");
    exchange.getResponseHeaders().set("X-Goog-Upload-Status", "active");
    GeminiEmulator.send(exchange, 200, "{}");
  }

  private void chunk(HttpExchange exchange, String id, String baseUrl) throws IOException {
    Session session = sessions.get(id);
    String command = String.valueOf(exchange.getRequestHeaders().getFirst("X-Goog-Upload-Command"));
    String offset = exchange.getRequestHeaders().getFirst("X-Goog-Upload-Offset");
    if (session == null) {
      GeminiEmulator.send(exchange, 404, GeminiEmulator.error(404, "Unknown upload session.", "NOT_FOUND"));
      return;
    }
    synchronized (session) {
      if (offset == null || Long.parseLong(offset) != session.received) {
        GeminiEmulator.send(exchange, 400, GeminiEmulator.error(400, "Upload offset " + offset + " does not match "
            + session.received + " bytes received.", "INVALID_ARGUMENT"));
        return;
      }
      try (InputStream in = exchange.getRequestBody();
          OutputStream out = new DigestOutputStream(Files.newOutputStream(session.path,
              StandardOpenOption.CREATE, StandardOpenOption.APPEND), session.digest)) {
        session.received += in.transferTo(out);
      }
      if (!command.contains("finalize")) {
        exchange.getResponseHeaders().set("X-Goog-Upload-Status", "active");
        GeminiEmulator.send(exchange, 200, "");
        return;
      }
      sessions.remove(id);
      if (session.declaredSize >= 0 && session.declaredSize != session.received) {
        GeminiEmulator.send(exchange, 400, GeminiEmulator.error(400, "Upload declared " + session.declaredSize
            + " bytes but sent " + session.received + ".", "INVALID_ARGUMENT"));
        return;
      }
      StoredFile file = new StoredFile(id, session.mimeType, session.received,
          HexFormat.of().formatHex(session.digest.digest()), session.path);
      files.put(id, file);
      exchange.getResponseHeaders().set("X-Goog-Upload-Status", "final");
      ObjectNode body = JSON.createObjectNode();
      body.set("file", describe(file, baseUrl));
      GeminiEmulator.send(exchange, 200, body.toString());
    }
  }

  private static ObjectNode describe(StoredFile file, String baseUrl) {
    return JSON.createObjectNode()
        .put("name", "files/" + file.id())
        .put("mimeType", file.mimeType())
        .put("sizeBytes", Long.toString(file.sizeBytes()))
        .put("uri", baseUrl + "/v1beta/files/" + file.id())
        .put("state", "ACTIVE");
  }

  @Override
  public void close() {
    try (var paths = Files.list(folder)) {
      for (Path p : paths.toList()) {
        Files.deleteIfExists(p);
      }
      Files.deleteIfExists(folder);
    } catch (IOException e) {
      // A temporary folder: the OS cleans up what is left.
    }
  }
}
