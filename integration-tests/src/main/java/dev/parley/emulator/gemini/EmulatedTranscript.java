package dev.parley.emulator.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The emulator's answer for one recording: a deterministic function of the audio bytes. Text registered for
 * the audio's SHA-256 is split into sentences, one segment each, alternating two speakers and spread evenly
 * over the audio; otherwise a single segment names the digest. The answer is shaped after the response schema
 * of the request, so it follows whatever structured output the caller asks for.
 */
final class EmulatedTranscript {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  record Segment(String speaker, long startMillis, long endMillis, String text) {}

  private final String sha256;
  private final List<Segment> segments;

  EmulatedTranscript(String sha256, double audioSeconds, String registeredText) {
    this.sha256 = sha256;
    this.segments = segments(sha256, audioSeconds, registeredText);
  }

  static String defaultText(String sha256) {
    return "Recording sha256:" + sha256 + ".";
  }

  List<Segment> segments() {
    return segments;
  }

  String summary() {
    return "Call recorded as sha256:" + sha256.substring(0, 12) + ", " + segments.size() + " segment(s).";
  }

  List<String> actionItems() {
    return List.of("Follow up on sha256:" + sha256.substring(0, 12));
  }

  /** Plain text, for requests that ask for no schema. */
  String plainText() {
    StringBuilder out = new StringBuilder();
    for (Segment s : segments) {
      out.append(s.speaker()).append(": ").append(s.text()).append('\n');
    }
    return out.toString();
  }

  /** A JSON value that fits {@code schema} (Gemini's OpenAPI subset or JSON Schema), filled from this transcript. */
  JsonNode shapedAs(JsonNode schema, String language) {
    return fill(schema, "", language, null);
  }

  private JsonNode fill(JsonNode schema, String name, String language, Segment segment) {
    String type = schema.path("type").asText("object").toLowerCase(Locale.ROOT);
    String key = name.toLowerCase(Locale.ROOT);
    switch (type) {
      case "object": {
        ObjectNode object = NODES.objectNode();
        Iterator<Map.Entry<String, JsonNode>> properties = schema.path("properties").fields();
        while (properties.hasNext()) {
          Map.Entry<String, JsonNode> property = properties.next();
          object.set(property.getKey(), fill(property.getValue(), property.getKey(), language, segment));
        }
        return object;
      }
      case "array": {
        ArrayNode array = NODES.arrayNode();
        JsonNode items = schema.path("items");
        String itemType = items.path("type").asText("string").toLowerCase(Locale.ROOT);
        if (itemType.equals("object")) {
          for (Segment s : segments) {
            array.add(fill(items, "", language, s));
          }
        } else if (key.contains("action")) {
          actionItems().forEach(array::add);
        }
        return array;
      }
      case "integer":
      case "number": {
        if (segment == null) {
          return NODES.numberNode(0);
        }
        long millis = key.contains("start") ? segment.startMillis() : key.contains("end") ? segment.endMillis() : 0;
        boolean seconds = key.contains("sec") && !key.contains("ms") && !key.contains("milli");
        return seconds ? NODES.numberNode(millis / 1000.0) : NODES.numberNode(millis);
      }
      case "boolean":
        return NODES.booleanNode(false);
      default: {
        if (segment != null) {
          if (key.contains("speaker")) {
            return NODES.textNode(segment.speaker());
          }
          return NODES.textNode(key.contains("text") || key.contains("content") ? segment.text() : "");
        }
        if (key.contains("language")) {
          return NODES.textNode(language);
        }
        if (key.contains("summary")) {
          return NODES.textNode(summary());
        }
        return NODES.textNode("");
      }
    }
  }

  private static List<Segment> segments(String sha256, double audioSeconds, String registeredText) {
    String text = registeredText == null ? defaultText(sha256) : registeredText;
    List<String> sentences = new ArrayList<>();
    for (String sentence : text.split("(?<=[.!?])\\s+")) {
      if (!sentence.isBlank()) {
        sentences.add(sentence.strip());
      }
    }
    if (sentences.isEmpty()) {
      sentences.add(defaultText(sha256));
    }
    long totalMillis = Math.max(1, Math.round(audioSeconds * 1000));
    long step = totalMillis / sentences.size();
    List<Segment> out = new ArrayList<>();
    for (int i = 0; i < sentences.size(); i++) {
      long start = i * step;
      long end = i == sentences.size() - 1 ? totalMillis : start + step;
      out.add(new Segment("Speaker " + (i % 2 + 1), start, end, sentences.get(i)));
    }
    return out;
  }
}
