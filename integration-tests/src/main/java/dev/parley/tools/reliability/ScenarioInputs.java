package dev.parley.tools.reliability;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.model.ErrorCode;
import dev.parley.tools.SampleAudio;
import dev.parley.tools.reliability.ScenarioInput.Door;
import dev.parley.transforms.arrival.PubsubArrivals;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Makes the scenario's inputs: good recordings of every tenant through both doors, and every kind of bad input
 * the issue lists, each with the code it must be dead-lettered with. Files are not written here: the feeder
 * writes each one when its turn comes ({@link Planned#write}), as an upload would.
 */
final class ScenarioInputs {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** An input, and the recording to write for it (none for an event that names a missing file). */
  record Planned(ScenarioInput input, @Nullable Path file, byte @Nullable [] bytes, long modifiedMillis) {
    /** Writes the recording under a temporary name the door skips, then moves it into place. */
    void write() throws IOException {
      if (file == null) {
        return;
      }
      Files.createDirectories(file.getParent());
      Path partial = file.resolveSibling(".upload-" + Integer.toHexString(file.hashCode()) + ".partial");
      Files.write(partial, bytes);
      Files.setLastModifiedTime(partial, java.nio.file.attribute.FileTime.fromMillis(modifiedMillis));
      Files.move(partial, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }
  }

  private final Path drop;
  private final Path events;
  private final Path fixtures;
  private final int maxAudioSeconds;
  private final Random random;
  private final List<Planned> planned = new ArrayList<>();
  private long seed = 1000;

  ScenarioInputs(Path drop, Path events, Path fixtures, int maxAudioSeconds, long seed) {
    this.drop = drop;
    this.events = events;
    this.fixtures = fixtures;
    this.maxAudioSeconds = maxAudioSeconds;
    this.random = new Random(seed);
  }

  List<Planned> planned() {
    return planned;
  }

  /** {@code count} good recordings of {@code tenant}: a third dropped, a third announced only, a third both. */
  void good(String tenant, int count) throws IOException {
    for (int i = 0; i < count; i++) {
      byte[] audio = SampleAudio.wav(2 + random.nextInt(3), 8000, 1, seed++);
      switch (i % 3) {
        case 0 -> file("good", tenant, drop.resolve(tenant).resolve("2026/11/25/call-" + i + ".wav"), audio, null);
        case 1 -> event("good", tenant, events.resolve(tenant).resolve("call-" + i + ".wav"), audio, tenant, true, null);
        default -> both(tenant, drop.resolve(tenant).resolve("pbx/call-" + i + ".wav"), audio);
      }
    }
  }

  /** Recordings with odd but valid names and a misleading extension: all of them must be stored. */
  void oddButGood(String tenant, int round) throws IOException {
    file("unicode-name", tenant, drop.resolve(tenant).resolve("Anruf Müller – 通話 📞 " + round + ".wav"),
        SampleAudio.wav(2, 8000, 1, seed++), null);
    file("long-name", tenant, drop.resolve(tenant).resolve("r" + round + "-" + "x".repeat(200) + ".wav"),
        SampleAudio.wav(2, 8000, 1, seed++), null);
    file("wav-named-mp3", tenant, drop.resolve(tenant).resolve("mislabelled-" + round + ".mp3"),
        SampleAudio.wav(2, 8000, 1, seed++), null);
  }

  /** One of every bad file, in {@code tenant}'s folder unless the kind is about the folder. */
  void badFiles(String tenant, String unknownTenant, String disabledTenant, int round) throws IOException {
    Path folder = drop.resolve(tenant).resolve("bad-" + round);
    file("empty", tenant, folder.resolve("empty.wav"), new byte[0], ErrorCode.AUDIO_EMPTY);
    byte[] wav = SampleAudio.wav(4, 8000, 1, seed++);
    file("truncated-wav", tenant, folder.resolve("truncated.wav"), Arrays.copyOf(wav, wav.length / 2),
        ErrorCode.AUDIO_TRUNCATED);
    file("truncated-flac", tenant, folder.resolve("truncated.flac"), half("tone.flac"), ErrorCode.AUDIO_TRUNCATED);
    file("truncated-mp3", tenant, folder.resolve("truncated.mp3"), half("tone-cbr.mp3"), ErrorCode.AUDIO_TRUNCATED);
    byte[] noise = new byte[4096];
    random.nextBytes(noise);
    file("non-audio", tenant, folder.resolve("noise.wav"), noise, ErrorCode.AUDIO_UNSUPPORTED_FORMAT);
    file("pdf-named-mp3", tenant, folder.resolve("invoice.mp3"),
        "%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n".getBytes(StandardCharsets.US_ASCII),
        ErrorCode.AUDIO_UNSUPPORTED_FORMAT);
    file("zero-seconds", tenant, folder.resolve("zero.wav"), SampleAudio.wavFile(new byte[0], 8000, 1, 16, 1),
        ErrorCode.AUDIO_ZERO_DURATION);
    file("corrupt-header", tenant, folder.resolve("corrupt.wav"), SampleAudio.corruptWav(), ErrorCode.AUDIO_CORRUPT);
    file("too-long", tenant, folder.resolve("too-long.wav"), SampleAudio.wav(maxAudioSeconds + 5, 8000, 1, seed++),
        ErrorCode.AUDIO_TOO_LONG);
    Path deep = folder;
    for (int i = 0; i < 5; i++) {
      deep = deep.resolve(("d" + i).repeat(110));
    }
    file("over-long-path", tenant, deep.resolve("call.wav"), SampleAudio.wav(2, 8000, 1, seed++), ErrorCode.PATH_INVALID);
    file("unknown-tenant", unknownTenant, drop.resolve(unknownTenant).resolve("call-" + round + ".wav"),
        SampleAudio.wav(2, 8000, 1, seed++), ErrorCode.TENANT_UNKNOWN);
    file("disabled-tenant", disabledTenant, drop.resolve(disabledTenant).resolve("call-" + round + ".wav"),
        SampleAudio.wav(2, 8000, 1, seed++), ErrorCode.TENANT_DISABLED);
    file("outside-tenant-folders", "", drop.resolve("loose-" + round + ".wav"), SampleAudio.wav(2, 8000, 1, seed++),
        ErrorCode.PATH_OUTSIDE_TENANT_LAYOUT);
  }

  /** A recording over the byte size a Vertex AI tenant can send from outside Cloud Storage. */
  void tooLarge(String vertexTenant, int round, long maxInlineBytes) throws IOException {
    double seconds = Math.ceil(maxInlineBytes / 16_000.0) + 2;
    file("too-large", vertexTenant, drop.resolve(vertexTenant).resolve("large-" + round + ".wav"),
        SampleAudio.wav(seconds, 8000, 1, seed++), ErrorCode.AUDIO_TOO_LARGE);
  }

  /** One of every bad event; {@code other} is a second tenant, for the mismatch. */
  void badEvents(String tenant, String other, int round) throws IOException {
    String prefix = "bad-" + tenant + "-" + round + "-";
    raw("not-json", prefix + "nj", ("{\"eventId\": \"" + prefix + "nj\", ").getBytes(StandardCharsets.UTF_8), Map.of(),
        ErrorCode.EVENT_MALFORMED);
    raw("empty-event", prefix + "ee", new byte[0], Map.of("origin", prefix + "ee"), ErrorCode.EVENT_MALFORMED);
    raw("schema-broken", prefix + "sb", ("{\"eventId\": 42, \"note\": \"" + prefix + "sb\"}").getBytes(StandardCharsets.UTF_8),
        Map.of(), ErrorCode.EVENT_MALFORMED);
    raw("notification-without-object", prefix + "nwo", "{}".getBytes(StandardCharsets.UTF_8),
        Map.of("eventType", "OBJECT_FINALIZE", "bucketId", "acme-recordings", "payloadFormat", "JSON_API_V1",
            "notificationConfig", prefix + "nwo"), ErrorCode.EVENT_MALFORMED);
    ObjectNode huge = eventJson(prefix + "big", tenant, events.resolve(tenant).resolve("big.wav").toString(), null);
    huge.putObject("call").put("notes", "n".repeat(PubsubArrivals.MAX_EVENT_BYTES));
    raw("oversized-event", prefix + "big", huge.toString().getBytes(StandardCharsets.UTF_8), Map.of(),
        ErrorCode.EVENT_TOO_LARGE);
    String traversal = drop.resolve(tenant) + "/../" + other + "/secret-" + round + ".wav";
    publishOnly("path-traversal", tenant, traversal, eventJson(prefix + "tr", tenant, traversal, null),
        ErrorCode.PATH_INVALID);
    event("tenant-mismatch", tenant, events.resolve(tenant).resolve("claimed-" + round + ".wav"),
        SampleAudio.wav(2, 8000, 1, seed++), other, false, ErrorCode.TENANT_MISMATCH);
    // Announced, not dropped: Beam's '**' wildcard never matches a name with a line break, so no listing shows it.
    event("control-character-name", tenant, events.resolve(tenant).resolve("line\nbreak-" + round + ".wav"),
        SampleAudio.wav(2, 8000, 1, seed++), tenant, true, ErrorCode.PATH_INVALID);
    Path missing = events.resolve(tenant).resolve("never-uploaded-" + round + ".wav");
    publishOnly("missing-recording", tenant, missing.toString(), eventJson(prefix + "mr", tenant, missing.toString(), null),
        ErrorCode.AUDIO_READ_FAILED);
    Path invalidTenant = events.resolve(tenant).resolve("invalid-tenant-" + round + ".wav");
    event("invalid-tenant-id", tenant, invalidTenant, SampleAudio.wav(2, 8000, 1, seed++), "Not A Tenant!", true,
        ErrorCode.TENANT_ID_INVALID);
  }

  private byte[] half(String fixture) throws IOException {
    byte[] whole = Files.readAllBytes(fixtures.resolve(fixture));
    return Arrays.copyOf(whole, whole.length / 2);
  }

  private long modified() {
    // In the past, as an uploaded object's time is, so the drop folder's listing window holds it.
    return System.currentTimeMillis() - 5_000 - random.nextInt(5_000);
  }

  private void file(String kind, String tenant, Path file, byte[] bytes, @Nullable ErrorCode expected) {
    planned.add(new Planned(new ScenarioInput(kind, Door.DROP_FOLDER, tenant, file.toString(), true, code(expected),
        null, null, Map.of()), file, bytes, modified()));
  }

  private void event(String kind, String tenant, Path file, byte[] bytes, String claimedTenant, boolean withTime,
      @Nullable ErrorCode expected) {
    long modified = modified();
    String eventId = "evt-" + tenant + "-" + (seed++);
    byte[] data = eventJson(eventId, claimedTenant, file.toString(), withTime ? modified : null).toString()
        .getBytes(StandardCharsets.UTF_8);
    planned.add(new Planned(new ScenarioInput(kind, Door.PUBSUB, tenant, file.toString(), true, code(expected),
        eventId, data, Map.of()), file, bytes, modified));
  }

  private void both(String tenant, Path file, byte[] bytes) {
    long modified = modified();
    String eventId = "evt-" + tenant + "-" + (seed++);
    byte[] data = eventJson(eventId, tenant, file.toString(), modified).toString().getBytes(StandardCharsets.UTF_8);
    planned.add(new Planned(new ScenarioInput("good", Door.BOTH, tenant, file.toString(), true, null, eventId, data,
        Map.of()), file, bytes, modified));
  }

  private void publishOnly(String kind, String tenant, String uri, ObjectNode event, ErrorCode expected) {
    String eventId = event.get("eventId").asText();
    planned.add(new Planned(new ScenarioInput(kind, Door.PUBSUB, tenant, uri, true, expected.name(), eventId,
        event.toString().getBytes(StandardCharsets.UTF_8), Map.of()), null, null, 0));
  }

  private void raw(String kind, String id, byte[] data, Map<String, String> attributes, ErrorCode expected) {
    planned.add(new Planned(new ScenarioInput(kind, Door.PUBSUB, "", "event:" + id, true, expected.name(), null, data,
        attributes), null, null, 0));
  }

  private static ObjectNode eventJson(String eventId, String tenant, String uri, @Nullable Long modifiedMillis) {
    ObjectNode event = JSON.createObjectNode().put("eventId", eventId).put("tenantId", tenant).put("sourceUri", uri);
    if (modifiedMillis != null) {
      event.put("objectUpdated", java.time.Instant.ofEpochMilli(modifiedMillis).toString());
    }
    event.putObject("call").put("direction", "INBOUND").put("agent", "agent@" + tenant.toLowerCase().replaceAll("[^a-z0-9]", "") + ".example");
    return event;
  }

  private static @Nullable String code(@Nullable ErrorCode code) {
    return code == null ? null : code.name();
  }
}
