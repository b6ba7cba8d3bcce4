package dev.parley.emulator.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sound.sampled.AudioFileFormat;
import javax.sound.sampled.AudioSystem;

/**
 * A local stand-in for Gemini that speaks its wire protocol on both backends: {@code generateContent} and
 * {@code countTokens} on the Gemini API paths ({@code /v1beta/models/{m}:...}, {@code x-goog-api-key}) and the
 * Vertex AI paths ({@code /v1beta1/projects/{p}/locations/{l}/publishers/google/models/{m}:...}, bearer token).
 *
 * <p>It answers with a transcript that is a deterministic function of the audio bytes ({@link EmulatedTranscript}),
 * bills 32 tokens per second of audio, enforces per-key requests- and tokens-per-minute limits with the real
 * 429 {@code RESOURCE_EXHAUSTED} body (QuotaFailure and RetryInfo details, no Retry-After header), injects
 * latency and faults on request, and records every request.
 *
 * <p>Responses are delayed on a scheduler, not on the connection's thread, so thousands of calls can be in
 * flight at once.
 */
public final class GeminiEmulator implements AutoCloseable {
  static final int AUDIO_TOKENS_PER_SECOND = 32;
  private static final java.time.ZoneId PACIFIC = java.time.ZoneId.of("America/Los_Angeles");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern GEMINI_PATH =
      Pattern.compile("^/(v1beta|v1|v1alpha)/models/([^/:]+):(generateContent|countTokens)$");
  private static final Pattern VERTEX_PATH = Pattern.compile(
      "^/(v1beta1|v1)/projects/([^/]+)/locations/([^/]+)/publishers/google/models/([^/:]+):(generateContent|countTokens)$");

  private final HttpServer server;
  private final ExecutorService handlers = Executors.newCachedThreadPool(daemon("gemini-emulator-http"));
  private final ScheduledExecutorService responder =
      Executors.newScheduledThreadPool(2, daemon("gemini-emulator-respond"));
  private final Map<String, String> transcripts = new ConcurrentHashMap<>();
  private final EmulatedFileStore fileStore;
  private final List<RecordedRequest> requests = new ArrayList<>();
  private final Map<String, Deque<long[]>> windows = new ConcurrentHashMap<>();
  private final Map<String, long[]> days = new ConcurrentHashMap<>();
  private final java.util.Queue<Fault> scripted = new java.util.concurrent.ConcurrentLinkedQueue<>();
  private final Map<Fault.Kind, AtomicLong> faultsAnswered = new EnumMap<>(Fault.Kind.class);
  private volatile GeminiEmulatorSettings settings;
  private Random random;

  private GeminiEmulator(int port, GeminiEmulatorSettings settings) throws IOException {
    this.settings = settings;
    this.random = new Random(settings.seed());
    for (Fault.Kind kind : Fault.Kind.values()) {
      faultsAnswered.put(kind, new AtomicLong());
    }
    this.fileStore = new EmulatedFileStore();
    this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 1024);
    server.createContext("/", this::handle);
    server.setExecutor(handlers);
    server.start();
  }

  /** Starts on {@code port} (0 for any free port). */
  public static GeminiEmulator start(int port, GeminiEmulatorSettings settings) throws IOException {
    return new GeminiEmulator(port, settings);
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  public int port() {
    return server.getAddress().getPort();
  }

  public synchronized void settings(GeminiEmulatorSettings settings) {
    this.settings = settings;
    this.random = new Random(settings.seed());
  }

  public GeminiEmulatorSettings settings() {
    return settings;
  }

  /** Makes the emulator answer {@code text} for audio whose SHA-256 is {@code sha256} (lower-case hex). */
  public void registerTranscript(String sha256, String text) {
    transcripts.put(sha256, text);
  }

  /** The next generateContent requests get these answers, in order, before any limit or drawn fault applies. */
  public void scriptFaults(Fault... faults) {
    scripted.addAll(List.of(faults));
  }


  /** How many requests got each kind of fault, scripted or drawn (limits reached are not faults). */
  public Map<Fault.Kind, Long> faultsAnswered() {
    Map<Fault.Kind, Long> counts = new EnumMap<>(Fault.Kind.class);
    faultsAnswered.forEach((kind, count) -> counts.put(kind, count.get()));
    return counts;
  }

  /** Files uploaded through the Files API and not (yet) deleted. */
  public int liveFiles() {
    return fileStore.liveFiles();
  }

  /** Files deleted through the Files API. */
  public int deletedFiles() {
    return fileStore.deletedFiles();
  }

  public List<RecordedRequest> requests() {
    synchronized (requests) {
      return List.copyOf(requests);
    }
  }

  /** Forgets recorded requests, limit counters and scripted faults; registered transcripts stay. */
  public void reset() {
    synchronized (requests) {
      requests.clear();
    }
    windows.clear();
    days.clear();
    scripted.clear();
  }

  @Override
  public void close() {
    server.stop(0);
    responder.shutdownNow();
    handlers.shutdownNow();
    fileStore.close();
  }

  // ---------------------------------------------------------------------------------------------------------

  private void handle(HttpExchange exchange) throws IOException {
    try {
      String path = exchange.getRequestURI().getPath();
      if (path.startsWith("/emulator/")) {
        control(exchange, path);
        return;
      }
      if (fileStore.handle(exchange, baseUrl())) {
        return;
      }
      Matcher gemini = GEMINI_PATH.matcher(path);
      Matcher vertex = VERTEX_PATH.matcher(path);
      if (!"POST".equals(exchange.getRequestMethod()) || !(gemini.matches() || vertex.matches())) {
        send(exchange, 404, error(404, "Method not found.", "NOT_FOUND"));
        return;
      }
      byte[] body;
      try (InputStream in = exchange.getRequestBody()) {
        body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, settings.maxRequestBytes() + 1));
      }
      if (body.length > settings.maxRequestBytes()) {
        send(exchange, 413, error(413, "Request payload size exceeds the limit: " + settings.maxRequestBytes()
            + " bytes.", "FAILED_PRECONDITION"));
        exchange.close();
        return;
      }
      Call call = gemini.matches()
          ? new Call("gemini-api", gemini.group(2), gemini.group(3), apiKey(exchange))
          : new Call("vertex-ai", vertex.group(4), vertex.group(5), vertexKey(exchange, vertex.group(2)));
      generate(exchange, call, JSON.readTree(body));
    } catch (RequestRefused e) {
      send(exchange, e.status, error(e.status, e.getMessage(), e.statusName));
    } catch (IOException | RuntimeException | java.security.NoSuchAlgorithmException e) {
      send(exchange, 400, error(400, "Invalid JSON payload received. " + e.getClass().getSimpleName(),
          "INVALID_ARGUMENT"));
    }
  }

  /** A request the service would refuse, with the status it would answer. */
  private static final class RequestRefused extends RuntimeException {
    final int status;
    final String statusName;

    RequestRefused(int status, String statusName, String message) {
      super(message);
      this.status = status;
      this.statusName = statusName;
    }
  }

  private record Call(String backend, String model, String method, String key) {}

  private record Audio(List<String> digests, List<String> sources, long bytes, double seconds) {}

  private void generate(HttpExchange exchange, Call call, JsonNode request) throws IOException {
    if (call.key() == null) {
      boolean vertex = call.backend().equals("vertex-ai");
      record(call, new Audio(List.of(), List.of(), 0, 0), "", vertex ? 401 : 403);
      send(exchange, vertex ? 401 : 403, vertex
          ? error(401, "Request had invalid authentication credentials.", "UNAUTHENTICATED")
          : error(403, "Method doesn't allow unregistered callers. Please use API Key.", "PERMISSION_DENIED"));
      return;
    }
    Audio audio = audioOf(request, call.backend());
    String prompt = promptOf(request);
    long promptTokens = (long) Math.ceil(audio.seconds() * AUDIO_TOKENS_PER_SECOND) + textTokens(request);

    if (call.method().equals("countTokens")) {
      record(call, audio, prompt, 200);
      send(exchange, 200, JSON.createObjectNode().put("totalTokens", promptTokens).toString());
      return;
    }
    GeminiEmulatorSettings s = settings;
    long latency = s.fixedLatencyMillis() + Math.round(s.latencyMillisPerAudioSecond() * audio.seconds());
    Fault fault = scripted.poll();
    if (fault == null) {
      String limited = admit(call.key(), promptTokens, s);
      if (limited != null) {
        record(call, audio, prompt, 429);
        send(exchange, 429, limited);
        return;
      }
      fault = drawFault(s);
    }
    if (fault == null) {
      String answer = answer(call, request, audio, promptTokens, null);
      record(call, audio, prompt, 200);
      later(latency, () -> send(exchange, 200, answer));
      return;
    }
    respondWith(exchange, call, request, audio, prompt, promptTokens, fault, latency, s);
  }

  private Fault drawFault(GeminiEmulatorSettings s) {
    double draw;
    synchronized (this) {
      draw = random.nextDouble();
    }
    double[] rates = {s.rate429(), s.rate500(), s.rate503(), s.rateTimeout(), s.rateMalformed()};
    Fault.Kind[] kinds = {Fault.Kind.RATE_LIMITED, Fault.Kind.INTERNAL, Fault.Kind.UNAVAILABLE, Fault.Kind.TIMEOUT,
        Fault.Kind.MALFORMED};
    double edge = 0;
    for (int i = 0; i < rates.length; i++) {
      edge += rates[i];
      if (draw < edge) {
        return new Fault(kinds[i], kinds[i] == Fault.Kind.RATE_LIMITED ? s.retryDelayMillis429() : 0);
      }
    }
    return null;
  }

  private void respondWith(HttpExchange exchange, Call call, JsonNode request, Audio audio, String prompt,
      long promptTokens, Fault fault, long latency, GeminiEmulatorSettings s) {
    faultsAnswered.get(fault.kind()).incrementAndGet();
    switch (fault.kind()) {
      case RATE_LIMITED -> {
        record(call, audio, prompt, 429);
        send(exchange, 429, quotaExceeded("GenerateRequestsPerMinutePerProjectPerModel",
            "generativelanguage.googleapis.com/generate_content_requests", s.requestsPerMinute(), fault.retryDelayMillis()));
      }
      case DAILY_QUOTA -> {
        record(call, audio, prompt, 429);
        send(exchange, 429, quotaExceeded("GenerateRequestsPerDayPerProjectPerModel",
            "generativelanguage.googleapis.com/generate_requests_per_model_per_day", s.requestsPerDay(), 3_600_000));
      }
      case BAD_REQUEST -> {
        record(call, audio, prompt, 400);
        send(exchange, 400, error(400, "Request contains an invalid argument.", "INVALID_ARGUMENT"));
      }
      case INTERNAL -> {
        record(call, audio, prompt, 500);
        later(latency, () -> send(exchange, 500, error(500,
            "An internal error has occurred. Please retry or report in https://developers.generativeai.google/guide/troubleshooting",
            "INTERNAL")));
      }
      case UNAVAILABLE -> {
        record(call, audio, prompt, 503);
        later(latency, () -> send(exchange, 503,
            error(503, "The model is overloaded. Please try again later.", "UNAVAILABLE")));
      }
      case TIMEOUT -> {
        record(call, audio, prompt, 504);
        // Hang past any sensible client timeout, then drop the connection without an answer.
        later(s.timeoutHangMillis(), exchange::close);
      }
      case MALFORMED, TRUNCATED -> {
        String answer = answer(call, request, audio, promptTokens, fault.kind());
        record(call, audio, prompt, 200);
        later(latency, () -> send(exchange, 200, answer));
      }
    }
  }

  /** The transcript answer; {@code damage} MALFORMED or TRUNCATED cuts the JSON text in half. */
  private String answer(Call call, JsonNode request, Audio audio, long promptTokens, Fault.Kind damage) {
    String sha = audio.digests().isEmpty() ? sha256(new byte[0]) : audio.digests().get(0);
    EmulatedTranscript transcript = new EmulatedTranscript(sha, audio.seconds(), transcripts.get(sha));
    JsonNode generationConfig = request.path("generationConfig");
    JsonNode schema = generationConfig.has("responseSchema")
        ? generationConfig.get("responseSchema") : generationConfig.path("responseJsonSchema");
    String text = schema.isMissingNode() || schema.isNull()
        ? transcript.plainText()
        : transcript.shapedAs(schema, languageOf(request)).toString();
    if (damage != null) {
      text = text.substring(0, text.length() / 2); // Cut mid-value: not parseable JSON.
    }
    ObjectNode response = JSON.createObjectNode();
    ObjectNode candidate = response.putArray("candidates").addObject();
    candidate.putObject("content").put("role", "model").putArray("parts").addObject().put("text", text);
    candidate.put("finishReason", damage == Fault.Kind.TRUNCATED ? "MAX_TOKENS" : "STOP").put("index", 0);
    long outputTokens = Math.max(1, text.length() / 4);
    ObjectNode usage = response.putObject("usageMetadata")
        .put("promptTokenCount", promptTokens)
        .put("candidatesTokenCount", outputTokens)
        .put("totalTokenCount", promptTokens + outputTokens);
    ArrayNode details = usage.putArray("promptTokensDetails");
    details.addObject().put("modality", "AUDIO").put("tokenCount", (long) Math.ceil(audio.seconds() * AUDIO_TOKENS_PER_SECOND));
    details.addObject().put("modality", "TEXT").put("tokenCount", promptTokens - (long) Math.ceil(audio.seconds() * AUDIO_TOKENS_PER_SECOND));
    response.put("modelVersion", call.model());
    response.put("responseId", sha.substring(0, 16));
    return response.toString();
  }

  /** Null when admitted (and counted); otherwise the 429 body naming the exhausted per-minute quota. */
  private String admit(String key, long tokens, GeminiEmulatorSettings s) {
    if (s.requestsPerDay() > 0) {
      String daily = admitDaily(key, s.requestsPerDay());
      if (daily != null) {
        return daily;
      }
    }
    if (s.requestsPerMinute() <= 0 && s.tokensPerMinute() <= 0) {
      return null;
    }
    Deque<long[]> window = windows.computeIfAbsent(key, k -> new ArrayDeque<>());
    synchronized (window) {
      long now = System.currentTimeMillis();
      while (!window.isEmpty() && window.peekFirst()[0] <= now - 60_000) {
        window.pollFirst();
      }
      long used = window.stream().mapToLong(e -> e[1]).sum();
      String quotaId = null;
      String metric = null;
      long value = 0;
      long waitMillis = 0;
      if (s.requestsPerMinute() > 0 && window.size() >= s.requestsPerMinute()) {
        quotaId = "GenerateRequestsPerMinutePerProjectPerModel";
        metric = "generativelanguage.googleapis.com/generate_content_requests";
        value = s.requestsPerMinute();
        waitMillis = window.peekFirst()[0] + 60_000 - now;
      } else if (s.tokensPerMinute() > 0 && used + tokens > s.tokensPerMinute()) {
        quotaId = "GenerateContentPaidTierInputTokensPerModelPerMinute";
        metric = "generativelanguage.googleapis.com/generate_content_paid_tier_input_token_count";
        value = s.tokensPerMinute();
        long freed = 0;
        for (long[] entry : window) {
          freed += entry[1];
          waitMillis = entry[0] + 60_000 - now;
          if (used - freed + tokens <= s.tokensPerMinute()) {
            break;
          }
        }
      }
      if (quotaId == null) {
        window.addLast(new long[] {now, tokens});
        return null;
      }
      return quotaExceeded(quotaId, metric, value, Math.max(1, waitMillis));

    }
  }

  /** Requests per day reset at midnight Pacific time, as Gemini's RPD does. */
  private String admitDaily(String key, int limit) {
    java.time.ZonedDateTime now = java.time.ZonedDateTime.now(PACIFIC);
    long day = now.toLocalDate().toEpochDay();
    long[] counter = days.computeIfAbsent(key, k -> new long[2]);
    synchronized (counter) {
      if (counter[0] != day) {
        counter[0] = day;
        counter[1] = 0;
      }
      if (counter[1] >= limit) {
        long untilReset = java.time.Duration.between(now, now.toLocalDate().plusDays(1).atStartOfDay(PACIFIC)).toMillis();
        return quotaExceeded("GenerateRequestsPerDayPerProjectPerModel",
            "generativelanguage.googleapis.com/generate_requests_per_model_per_day", limit, untilReset);
      }
      counter[1]++;
      return null;
    }
  }

  static String quotaExceeded(String quotaId, String metric, long value, long waitMillis) {
    double seconds = waitMillis / 1000.0;
    ObjectNode root = JSON.createObjectNode();
    ObjectNode err = root.putObject("error");
    err.put("code", 429);
    err.put("message", String.format(java.util.Locale.ROOT,
        "You exceeded your current quota, please check your plan and billing details. "
            + "* Quota exceeded for metric: %s, limit: %d.", metric, value)
        + (waitMillis > 0 ? String.format(java.util.Locale.ROOT, " Please retry in %.2fs.", seconds) : ""));
    err.put("status", "RESOURCE_EXHAUSTED");
    ArrayNode details = err.putArray("details");
    ObjectNode failure = details.addObject();
    failure.put("@type", "type.googleapis.com/google.rpc.QuotaFailure");
    failure.putArray("violations").addObject()
        .put("quotaMetric", metric).put("quotaId", quotaId).put("quotaValue", Long.toString(value));
    if (waitMillis > 0) {
      details.addObject()
          .put("@type", "type.googleapis.com/google.rpc.RetryInfo")
          .put("retryDelay", (long) Math.ceil(seconds) + "s");
    }
    return root.toString();
  }

  /** Every audio part of the request: inline bytes, Files API files, or (Vertex AI) gs:// objects. */
  private Audio audioOf(JsonNode request, String backend) {
    List<String> digests = new ArrayList<>();
    List<String> sources = new ArrayList<>();
    long bytes = 0;
    double seconds = 0;
    for (JsonNode content : request.path("contents")) {
      for (JsonNode part : content.path("parts")) {
        JsonNode inline = part.path("inlineData");
        if (inline.isObject() && inline.path("mimeType").asText().startsWith("audio/")) {
          byte[] data = Base64.getDecoder().decode(inline.path("data").asText());
          digests.add(sha256(data));
          sources.add("inline");
          bytes += data.length;
          seconds += durationSeconds(new ByteArrayInputStream(data), data.length);
        }
        String uri = part.path("fileData").path("fileUri").asText("");
        if (!uri.isEmpty()) {
          EmulatedFileStore.StoredFile file = fileData(uri, backend);
          digests.add(file.sha256());
          sources.add(uri.startsWith("gs://") ? uri : "files/" + file.id());
          bytes += file.sizeBytes();
          try (InputStream in = new java.io.BufferedInputStream(java.nio.file.Files.newInputStream(file.path()))) {
            seconds += durationSeconds(in, file.sizeBytes());
          } catch (IOException e) {
            throw new RequestRefused(500, "INTERNAL", "cannot read " + uri);
          }
        }
      }
    }
    return new Audio(digests, sources, bytes, seconds);
  }

  private EmulatedFileStore.StoredFile fileData(String uri, String backend) {
    if (uri.startsWith("gs://")) {
      if (!backend.equals("vertex-ai")) {
        throw new RequestRefused(400, "INVALID_ARGUMENT", "Referencing Google Cloud Storage files directly is not supported.");
      }
      java.nio.file.Path root = settings.gcsRoot();
      java.nio.file.Path local = root == null ? null : root.resolve(uri.substring("gs://".length())).normalize();
      if (local == null || !local.startsWith(root) || !java.nio.file.Files.isRegularFile(local)) {
        throw new RequestRefused(404, "NOT_FOUND", "The object " + uri + " was not found or is not accessible.");
      }
      try (InputStream in = java.nio.file.Files.newInputStream(local)) {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        long size = in.transferTo(new java.security.DigestOutputStream(OutputStream.nullOutputStream(), digest));
        return new EmulatedFileStore.StoredFile(uri, "audio/*", size, HexFormat.of().formatHex(digest.digest()), local);
      } catch (IOException | NoSuchAlgorithmException e) {
        throw new RequestRefused(500, "INTERNAL", "cannot read " + uri);
      }
    }
    return fileStore.byUri(uri).orElseThrow(() -> new RequestRefused(403, "PERMISSION_DENIED",
        "You do not have permission to access the File " + uri + " or it may not exist."));
  }

  /** The emulator's own reading of the audio (the JDK's decoder), independent of Parley's probe. */
  static double durationSeconds(InputStream audio, long sizeBytes) {
    try {
      AudioFileFormat format = AudioSystem.getAudioFileFormat(audio);
      if (format.getFrameLength() > 0 && format.getFormat().getFrameRate() > 0) {
        return format.getFrameLength() / (double) format.getFormat().getFrameRate();
      }
      // FLAC (through its Java Sound provider) counts sample frames but leaves the frame rate unknown.
      if (format.getFrameLength() > 0 && format.getFormat().getSampleRate() > 0) {
        return format.getFrameLength() / (double) format.getFormat().getSampleRate();
      }
    } catch (Exception e) {
      // Not a format the JDK reads: fall back to Gemini's own 16 kbps view of audio.
    }
    return sizeBytes / 2000.0;
  }

  private static long textTokens(JsonNode request) {
    long chars = 0;
    for (JsonNode content : request.path("contents")) {
      for (JsonNode part : content.path("parts")) {
        chars += part.path("text").asText("").length();
      }
    }
    for (JsonNode part : request.path("systemInstruction").path("parts")) {
      chars += part.path("text").asText("").length();
    }
    return (chars + 3) / 4;
  }

  private static String languageOf(JsonNode request) {
    Matcher m = Pattern.compile("\\b([a-z]{2}-[A-Z]{2})\\b").matcher(request.toString());
    return m.find() ? m.group(1) : "en-US";
  }

  private static String apiKey(HttpExchange exchange) {
    String header = exchange.getRequestHeaders().getFirst("x-goog-api-key");
    if (header != null && !header.isBlank()) {
      return header;
    }
    String query = exchange.getRequestURI().getRawQuery();
    if (query != null) {
      for (String pair : query.split("&")) {
        if (pair.startsWith("key=")) {
          return URLDecoder.decode(pair.substring(4), StandardCharsets.UTF_8);
        }
      }
    }
    return null;
  }

  private static String vertexKey(HttpExchange exchange, String project) {
    String auth = exchange.getRequestHeaders().getFirst("Authorization");
    return auth != null && auth.startsWith("Bearer ") && auth.length() > 7 ? "vertex:" + project : null;
  }

  private void record(Call call, Audio audio, String prompt, int status) {
    synchronized (requests) {
      requests.add(new RecordedRequest(Instant.now(), call.backend(), call.method(), call.key() == null ? "" : call.key(),
          call.model(), audio.digests(), audio.sources(), prompt, audio.bytes(), audio.seconds(), status));
    }
  }

  private static String promptOf(JsonNode request) {
    StringBuilder out = new StringBuilder();
    for (JsonNode part : request.path("systemInstruction").path("parts")) {
      out.append(part.path("text").asText("")).append('\n');
    }
    for (JsonNode content : request.path("contents")) {
      for (JsonNode part : content.path("parts")) {
        out.append(part.path("text").asText(""));
      }
    }
    return out.toString();
  }

  private void control(HttpExchange exchange, String path) throws IOException {
    switch (path) {
      case "/emulator/healthz" -> send(exchange, 200, "{\"ok\":true}");
      case "/emulator/requests" -> send(exchange, 200, JSON.findAndRegisterModules().writeValueAsString(requests()));
      case "/emulator/transcripts" -> {
        JsonNode body = JSON.readTree(exchange.getRequestBody());
        body.fields().forEachRemaining(e -> registerTranscript(e.getKey(), e.getValue().asText()));
        send(exchange, 200, "{}");
      }
      default -> send(exchange, 404, error(404, "unknown emulator control path", "NOT_FOUND"));
    }
  }

  private void later(long delayMillis, Runnable action) {
    if (delayMillis <= 0) {
      action.run();
    } else {
      responder.schedule(action, delayMillis, TimeUnit.MILLISECONDS);
    }
  }

  static String error(int code, String message, String status) {
    ObjectNode root = JSON.createObjectNode();
    root.putObject("error").put("code", code).put("message", message).put("status", status);
    return root.toString();
  }

  static void send(HttpExchange exchange, int status, String body) {
    try {
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "application/json; charset=UTF-8");
      exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
      if (bytes.length > 0) {
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(bytes);
        }
      } else {
        exchange.close();
      }
    } catch (IOException e) {
      exchange.close(); // The client went away (its timeout fired): nothing to answer.
    }
  }

  static String sha256(byte[] data) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    return r -> {
      Thread thread = new Thread(r, name);
      thread.setDaemon(true);
      return thread;
    };
  }
}
