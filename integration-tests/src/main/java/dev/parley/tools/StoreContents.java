package dev.parley.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.transforms.store.LocalStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** The rows of a local store folder, every run's files together: what the demo reports and the tests check. */
public record StoreContents(List<JsonNode> calls, List<JsonNode> segments, List<JsonNode> tenantUsage,
    List<JsonNode> calendarMatches, List<JsonNode> calendarAttendees, List<JsonNode> crmSync,
    List<JsonNode> deadLetters) {
  private static final ObjectMapper JSON = new ObjectMapper();

  public static StoreContents read(Path outputDir) {
    return new StoreContents(table(outputDir, LocalStore.CALLS), table(outputDir, LocalStore.SEGMENTS),
        table(outputDir, LocalStore.TENANT_USAGE), table(outputDir, LocalStore.CALENDAR_MATCHES),
        table(outputDir, LocalStore.CALENDAR_ATTENDEES), table(outputDir, LocalStore.CRM_SYNC),
        table(outputDir, LocalStore.DEAD_LETTERS));
  }

  private static List<JsonNode> table(Path dir, String table) {
    List<JsonNode> rows = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return rows;
    }
    try (Stream<Path> files = Files.list(dir)) {
      for (Path file : files.filter(f -> f.getFileName().toString().startsWith(table + "-")).sorted().toList()) {
        for (String line : Files.readAllLines(file)) {
          if (!line.isBlank()) {
            rows.add(JSON.readTree(line));
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return rows;
  }
}
