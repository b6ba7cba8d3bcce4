package dev.parley.pipeline;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.Test;

/**
 * Every Beam metric the main code names, and every stage namespace, is explained in {@code docs/observability.md}:
 * an operator reads the metrics from there, so a new one must land there too. A scan of the source, on purpose: the
 * names are literals at the call sites ({@code metrics.incTenant("transcribed", ...)}); names built at run time are
 * documented by hand.
 */
public class ObservabilityDocTest {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final List<Path> SOURCES = List.of(ROOT.resolve("transforms/src/main/java"),
      ROOT.resolve("pipeline/src/main/java"));

  /** A call that counts or samples, and the metric-name literals on its line (a ternary may hold two). */
  private static final Pattern METRIC_CALL =
      Pattern.compile("\\.(?:inc|incTenant|distribution|throttled)\\(|CountElements\\.as\\(|Metrics\\.(?:counter|distribution|gauge)\\(");
  /** {@code ThrottledWaits.waitFor(wait, tenant, "reason")} counts {@code reason_wait_ms}. */
  private static final Pattern WAIT_REASON = Pattern.compile("\\.waitFor\\([^;]*\"([a-z_]+)\"\\)");
  private static final Pattern NAME_LITERAL = Pattern.compile("\"([a-z][a-z_]*)");
  /** {@code StageMetrics(STAGE)} counts in namespace {@code parley.<STAGE>}. */
  private static final Pattern STAGE_CONSTANT = Pattern.compile("static final String \\w*STAGE = \"(\\w+)\"");

  @Test
  public void everyMetricInTheCodeIsInTheDocs() throws IOException {
    String doc = Files.readString(ROOT.resolve("docs/observability.md"), StandardCharsets.UTF_8);
    Set<String> missing = new TreeSet<>();
    metricNames().stream().filter(name -> !doc.contains("`" + name)).forEach(missing::add);
    stageNamespaces().stream().filter(namespace -> !doc.contains("`" + namespace + "`")).forEach(missing::add);
    assertEquals("metrics or namespaces missing from docs/observability.md", Set.of(), missing);
  }

  @Test
  public void theScanFindsTheMetrics() throws IOException {
    // Guards the scan itself: a pattern that stopped matching would make the test above pass vacuously.
    assertTrue(metricNames().containsAll(Set.of("transcribed", "dead_letters", "admission_wait_ms", "crm_rate_wait_ms",
        "prepare_ms", "untouched_calls", "derived_calls", "ignored_notifications", "matched")));
    assertTrue(stageNamespaces().containsAll(Set.of("parley.Transcribe", "parley.StoreCalls", "parley.Backfill")));
  }

  static Set<String> metricNames() throws IOException {
    Set<String> names = new TreeSet<>();
    for (String line : mainSourceLines()) {
      if (METRIC_CALL.matcher(line).find()) {
        Matcher literal = NAME_LITERAL.matcher(line.substring(line.indexOf('(')));
        while (literal.find()) {
          names.add(literal.group(1));
        }
      }
      Matcher wait = WAIT_REASON.matcher(line);
      if (wait.find()) {
        names.add(wait.group(1) + "_wait_ms");
      }
    }
    return names;
  }

  static Set<String> stageNamespaces() throws IOException {
    Set<String> namespaces = new TreeSet<>();
    for (String line : mainSourceLines()) {
      Matcher stage = STAGE_CONSTANT.matcher(line);
      if (stage.find()) {
        namespaces.add("parley." + stage.group(1));
      }
    }
    return namespaces;
  }

  private static List<String> mainSourceLines() throws IOException {
    try (Stream<Path> files = SOURCES.stream().flatMap(ObservabilityDocTest::javaFiles)) {
      return files.flatMap(file -> {
        try {
          return Files.readAllLines(file, StandardCharsets.UTF_8).stream();
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }).toList();
    }
  }

  private static Stream<Path> javaFiles(Path root) {
    try {
      return Files.walk(root).filter(p -> p.toString().endsWith(".java")).toList().stream();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
