package dev.parley.transforms.replay;

import dev.parley.model.DeadLetter;
import dev.parley.transforms.store.LocalStore;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;

/**
 * The dead letters of a {@code dead_letters-*.jsonl} folder (a job's {@code --deadLetterDir}, local or gs://, every
 * run's files), or of the files a glob names, read through Beam's {@link FileSystems}.
 */
public final class DeadLetterFiles {
  /** What a line that is not a dead-letter row is reported as; the replay goes on without it. */
  public record Unreadable(String file, int line, String problem) {}

  /** The dead letters read, in file order, and the lines that could not be read. */
  public record Contents(List<DeadLetter> letters, List<Unreadable> unreadable) {}

  private DeadLetterFiles() {}

  /** {@code location} is a folder, or a file pattern when it holds {@code *} or {@code ?}. */
  public static Contents read(String location) throws IOException {
    String pattern = location.contains("*") || location.contains("?") ? location
        : (location.endsWith("/") ? location : location + "/") + LocalStore.DEAD_LETTERS + "-*";
    MatchResult match = FileSystems.match(pattern, EmptyMatchTreatment.ALLOW_IF_WILDCARD);
    List<MatchResult.Metadata> files = new ArrayList<>(match.metadata());
    files.sort(Comparator.comparing(m -> m.resourceId().toString()));
    List<DeadLetter> letters = new ArrayList<>();
    List<Unreadable> unreadable = new ArrayList<>();
    for (MatchResult.Metadata file : files) {
      try (BufferedReader reader = new BufferedReader(new InputStreamReader(
          Channels.newInputStream(FileSystems.open(file.resourceId())), StandardCharsets.UTF_8))) {
        int number = 0;
        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
          number++;
          if (line.isBlank()) {
            continue;
          }
          try {
            letters.add(DeadLetterRow.parse(line));
          } catch (IOException | RuntimeException e) {
            unreadable.add(new Unreadable(file.resourceId().toString(), number, e.getMessage()));
          }
        }
      }
    }
    return new Contents(letters, unreadable);
  }
}
