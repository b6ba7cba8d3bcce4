package dev.parley.emulator.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Gemini API's Batch API as the google-genai SDK drives it: {@code POST /v1beta/models/{m}:batchGenerateContent}
 * with {@code {"batch": {"displayName", "inputConfig": {"fileName": "files/…"}}}} (a JSON Lines file of
 * {@code {"key", "request"}} uploaded through the Files API), answered with an operation whose {@code metadata} is
 * the batch ({@code state: BATCH_STATE_…}, {@code output.responsesFile}); {@code GET /v1beta/batches/{id}} for its
 * state; {@code POST /v1beta/batches/{id}:cancel}. The responses file holds one line per request,
 * {@code {"key", "response"}} or {@code {"key", "error"}}, and is downloaded through the Files API.
 *
 * <p>A job finishes at its {@link #pollsToFinish}-th read; then each line is answered like an online request.
 * {@link #endNextJob} makes the next job end failed, cancelled or expired instead.
 */
final class EmulatedBatches {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern CREATE = Pattern.compile("^/(v1beta|v1)/models/([^/:]+):batchGenerateContent$");
  private static final Pattern JOB = Pattern.compile("^/(v1beta|v1)/batches/([^/:]+)(:cancel)?$");

  /** The emulator's answer to one line's request: {@code {"response"}} or {@code {"error"}}. */
  interface Lines {
    ObjectNode answer(String model, JsonNode request);

    void record(String method, String key, String model, List<JsonNode> requests, int status);
  }

  private static final class Job {
    final String id;
    final String model;
    final String displayName;
    final List<JsonNode> lines;
    final String endState;
    final Instant created = Instant.now();
    int pollsLeft;
    String state = "BATCH_STATE_PENDING";
    String responsesFile;

    Job(String id, String model, String displayName, List<JsonNode> lines, int polls, String endState) {
      this.id = id;
      this.model = model;
      this.displayName = displayName;
      this.lines = lines;
      this.pollsLeft = polls;
      this.endState = endState;
    }
  }

  private final EmulatedFileStore files;
  private final Lines lines;
  private final Map<String, Job> jobs = new ConcurrentHashMap<>();
  private final Queue<String> endStates = new ConcurrentLinkedQueue<>();
  private volatile int pollsToFinish = 1;

  EmulatedBatches(EmulatedFileStore files, Lines lines) {
    this.files = files;
    this.lines = lines;
  }

  /** Reads of a job's state until it has finished (at least 1). */
  void pollsToFinish(int polls) {
    pollsToFinish = Math.max(1, polls);
  }

  /** The next job created ends in this state ({@code BATCH_STATE_FAILED}, {@code _CANCELLED}, {@code _EXPIRED}). */
  void endNextJob(String state) {
    endStates.add(state);
  }

  /** Handles a Batch API request; false when the path is not one. */
  boolean handle(HttpExchange exchange, String path, String key) throws IOException {
    Matcher create = CREATE.matcher(path);
    Matcher job = JOB.matcher(path);
    if (!create.matches() && !job.matches()) {
      return false;
    }
    if (key == null) {
      GeminiEmulator.send(exchange, 403, GeminiEmulator.error(403,
          "Method doesn't allow unregistered callers. Please use API Key.", "PERMISSION_DENIED"));
      return true;
    }
    if (create.matches()) {
      create(exchange, create.group(2), key);
      return true;
    }
    Job found = jobs.get(job.group(2));
    if (found == null) {
      GeminiEmulator.send(exchange, 404, GeminiEmulator.error(404, "Batch batches/" + job.group(2) + " not found.",
          "NOT_FOUND"));
    } else if (job.group(3) != null) {
      synchronized (found) {
        if (!found.state.equals("BATCH_STATE_SUCCEEDED")) {
          found.state = "BATCH_STATE_CANCELLED";
        }
      }
      lines.record("batches.cancel", key, found.model, List.of(), 200);
      GeminiEmulator.send(exchange, 200, "{}");
    } else {
      lines.record("batches.get", key, found.model, List.of(), 200);
      GeminiEmulator.send(exchange, 200, poll(found).toString());
    }
    return true;
  }

  private void create(HttpExchange exchange, String model, String key) throws IOException {
    JsonNode batch = JSON.readTree(exchange.getRequestBody()).path("batch");
    String fileName = batch.path("inputConfig").path("fileName").asText("");
    EmulatedFileStore.StoredFile input = files.byName(fileName).orElse(null);
    if (input == null) {
      lines.record("batchGenerateContent", key, model, List.of(), 400);
      GeminiEmulator.send(exchange, 400, GeminiEmulator.error(400, "Input file " + fileName + " not found.",
          "INVALID_ARGUMENT"));
      return;
    }
    List<JsonNode> requests = new ArrayList<>();
    for (String text : Files.readAllLines(input.path(), StandardCharsets.UTF_8)) {
      if (!text.isBlank()) {
        requests.add(JSON.readTree(text));
      }
    }
    String id = UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    Job job = new Job(id, model, batch.path("displayName").asText(""), requests, pollsToFinish, endStates.poll());
    jobs.put(id, job);
    lines.record("batchGenerateContent", key, model, requests.stream().map(r -> r.path("request")).toList(), 200);
    GeminiEmulator.send(exchange, 200, operation(job).toString());
  }

  /** One read of the job: it runs, and finishes at its last poll. */
  private ObjectNode poll(Job job) throws IOException {
    synchronized (job) {
      if (job.state.equals("BATCH_STATE_PENDING") || job.state.equals("BATCH_STATE_RUNNING")) {
        job.pollsLeft--;
        job.state = "BATCH_STATE_RUNNING";
        if (job.pollsLeft <= 0) {
          finish(job);
        }
      }
      return operation(job);
    }
  }

  private void finish(Job job) throws IOException {
    if (job.endState != null) {
      job.state = job.endState;
      return;
    }
    StringBuilder out = new StringBuilder();
    for (JsonNode line : job.lines) {
      ObjectNode answer = JSON.createObjectNode().put("key", line.path("key").asText());
      answer.setAll(lines.answer(job.model, line.path("request")));
      out.append(answer).append('\n');
    }
    job.responsesFile = "files/" + files.store(out.toString().getBytes(StandardCharsets.UTF_8), "application/jsonl").id();
    job.state = "BATCH_STATE_SUCCEEDED";
  }

  private static ObjectNode operation(Job job) {
    ObjectNode operation = JSON.createObjectNode().put("name", "batches/" + job.id);
    ObjectNode metadata = operation.putObject("metadata")
        .put("@type", "type.googleapis.com/google.ai.generativelanguage.v1beta.GenerateContentBatch")
        .put("name", "batches/" + job.id)
        .put("model", "models/" + job.model)
        .put("displayName", job.displayName)
        .put("state", job.state)
        .put("createTime", job.created.toString())
        .put("updateTime", Instant.now().toString());
    boolean done = !job.state.equals("BATCH_STATE_PENDING") && !job.state.equals("BATCH_STATE_RUNNING");
    if (job.responsesFile != null) {
      metadata.putObject("output").put("responsesFile", job.responsesFile);
    }
    if (done) {
      metadata.put("endTime", Instant.now().toString());
    }
    return operation.put("done", done);
  }
}
