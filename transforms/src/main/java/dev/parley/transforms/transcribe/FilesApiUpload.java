package dev.parley.transforms.transcribe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.genai.errors.ApiException;
import dev.parley.model.ErrorCode;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Uploads a recording to the Gemini API's Files API with the resumable protocol the google-genai SDK speaks
 * (start, then 8 MiB chunks with {@code X-Goog-Upload-Command} and {@code X-Goog-Upload-Offset}), but streams each
 * chunk from storage to the socket instead of reading it into memory first: the SDK's uploader holds an 8 MiB
 * buffer plus a copy of the last chunk per upload (about 17 MB of heap per call in flight, measured by
 * {@code ./parley bench engine}), and truncates an upload when a network stream returns a short read.
 * Everything else about the file (use in {@code generateContent}, deletion) goes through the SDK.
 */
final class FilesApiUpload {
  static final String DEFAULT_BASE_URL = "https://generativelanguage.googleapis.com";
  static final long CHUNK_BYTES = 8L * 1024 * 1024;
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The uploaded file: its resource name (for deletion) and URI (for {@code fileData}). */
  record UploadedFile(String name, String uri) {}

  private final HttpClient http;
  private final String baseUrl;

  FilesApiUpload(HttpClient http, @Nullable String baseUrl) {
    this.http = http;
    this.baseUrl = baseUrl == null ? DEFAULT_BASE_URL : baseUrl.replaceAll("/+$", "");
  }

  UploadedFile upload(String apiKey, InputStream audio, long size, String mimeType, String displayName, Duration timeout)
      throws TranscriptionException {
    try {
      HttpResponse<String> started = send(HttpRequest.newBuilder(URI.create(baseUrl + "/upload/v1beta/files"))
          .timeout(timeout)
          .header("x-goog-api-key", apiKey)
          .header("X-Goog-Upload-Protocol", "resumable")
          .header("X-Goog-Upload-Command", "start")
          .header("X-Goog-Upload-Header-Content-Length", Long.toString(size))
          .header("X-Goog-Upload-Header-Content-Type", mimeType)
          .header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(
              JSON.createObjectNode().set("file", JSON.createObjectNode().put("displayName", displayName)).toString()))
          .build());
      String uploadUrl = started.headers().firstValue("X-Goog-Upload-URL").orElseThrow(() ->
          TranscriptionException.retryable(ErrorCode.MODEL_UNAVAILABLE, null, "Files API gave no upload URL"));
      HttpResponse<String> last = null;
      for (long offset = 0; offset < size; offset += CHUNK_BYTES) {
        long length = Math.min(CHUNK_BYTES, size - offset);
        boolean finish = offset + length == size;
        InputStream chunk = new BoundedStream(audio, length);
        last = send(HttpRequest.newBuilder(URI.create(uploadUrl))
            .timeout(timeout)
            .header("x-goog-api-key", apiKey)
            .header("X-Goog-Upload-Command", finish ? "upload, finalize" : "upload")
            .header("X-Goog-Upload-Offset", Long.toString(offset))
            .POST(HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(() -> chunk), length))
            .build());
        String status = last.headers().firstValue("X-Goog-Upload-Status").orElse("");
        if (!status.equals(finish ? "final" : "active")) {
          throw TranscriptionException.retryable(ErrorCode.MODEL_UNAVAILABLE, null,
              "Files API upload answered status '" + status + "' at offset " + offset);
        }
      }
      JsonNode file = JSON.readTree(last.body()).path("file");
      if (!file.path("name").isTextual() || !file.path("uri").isTextual()) {
        throw TranscriptionException.retryable(ErrorCode.MODEL_UNAVAILABLE, null, "Files API upload returned no file");
      }
      return new UploadedFile(file.get("name").asText(), file.get("uri").asText());
    } catch (HttpTimeoutException e) {
      throw TranscriptionException.retryable(ErrorCode.MODEL_TIMEOUT, null, "Files API upload timed out");
    } catch (IOException e) {
      throw TranscriptionException.retryable(ErrorCode.MODEL_UNAVAILABLE, null,
          "Files API upload failed: " + e.getClass().getSimpleName() + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw TranscriptionException.retryable(ErrorCode.MODEL_TIMEOUT, null, "interrupted during the Files API upload");
    }
  }

  /** Sends a request; any status but 2xx becomes the same classified failure as an SDK call's. */
  private HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException, TranscriptionException {
    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() / 100 != 2) {
      JsonNode error = parseError(response.body());
      throw GeminiErrors.classify(new ApiException(response.statusCode(), error.path("status").asText(""),
          error.isMissingNode() ? response.body() : error.toString()));
    }
    return response;
  }

  private static JsonNode parseError(String body) {
    try {
      return JSON.readTree(body).path("error");
    } catch (IOException e) {
      return JSON.missingNode();
    }
  }

  /** The next {@code length} bytes of a stream, not closing it: one chunk of the recording. */
  private static final class BoundedStream extends InputStream {
    private final InputStream in;
    private long left;

    BoundedStream(InputStream in, long length) {
      this.in = in;
      this.left = length;
    }

    @Override
    public int read() throws IOException {
      if (left <= 0) {
        return -1;
      }
      int b = in.read();
      if (b >= 0) {
        left--;
      }
      return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      if (left <= 0) {
        return -1;
      }
      int n = in.read(buffer, offset, (int) Math.min(length, left));
      if (n > 0) {
        left -= n;
      }
      return n;
    }

    @Override
    public void close() {
      // The recording's stream is closed by its owner after the last chunk.
    }
  }
}
