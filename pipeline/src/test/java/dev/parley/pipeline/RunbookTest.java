package dev.parley.pipeline;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.transforms.replay.ReplaySelection;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.Test;

/**
 * {@code docs/runbook.md} stays exact: each {@code templates/} command in it runs (as a dry run), every
 * {@code --param} it passes is a parameter of its template, and the codes it says a replay takes by default are
 * {@link ReplaySelection#defaultCodes()}.
 */
public class RunbookTest {
  private static final Path ROOT = TemplateMetadataTest.TEMPLATES.getParent();
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern DEFAULT_CODES = Pattern.compile("replayed by default:\\s*((?:`[A-Z_]+`,?\\s*)+)\\.");

  private static String runbook() throws IOException {
    return Files.readString(ROOT.resolve("docs/runbook.md"), StandardCharsets.UTF_8);
  }

  /** The {@code templates/} commands of the runbook's code blocks, continuation lines joined. */
  static List<List<String>> templateCommands(String markdown) {
    List<List<String>> commands = new ArrayList<>();
    String joined = markdown.replace("\\\n", " ");
    for (String line : joined.split("\n")) {
      String command = line.strip();
      if (command.startsWith("templates/")) {
        commands.add(List.of(command.split("\\s+")));
      }
    }
    return commands;
  }

  @Test
  public void everyTemplateCommandRunsWithTheTemplatesParameters() throws Exception {
    List<List<String>> commands = templateCommands(runbook());
    assertTrue("the runbook builds, launches, updates and schedules", commands.size() >= 6);
    for (List<String> command : commands) {
      List<String> dryRun = new ArrayList<>(List.of("bash", ROOT.resolve(command.get(0)).toString()));
      dryRun.addAll(command.subList(1, command.size()));
      dryRun.add("--dry-run");
      Process process = new ProcessBuilder(dryRun).redirectErrorStream(true).start();
      process.getOutputStream().close();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertEquals(String.join(" ", command) + "\n" + output, 0, process.waitFor());

      Set<String> parameters = templateParameters(command);
      for (String arg : command) {
        if (arg.startsWith("--param=")) {
          String name = arg.substring("--param=".length(), arg.indexOf('=', "--param=".length()));
          assertTrue(name + " is not a parameter of the template in: " + String.join(" ", command),
              parameters.contains(name));
        }
      }
    }
  }

  @Test
  public void theDefaultReplayCodesAreTheCodes() throws IOException {
    Matcher listed = DEFAULT_CODES.matcher(runbook().replace("\n", " "));
    assertTrue("the runbook lists the codes replayed by default", listed.find());
    Set<String> codes = new TreeSet<>();
    Arrays.stream(listed.group(1).split("[,\\s]+")).map(c -> c.replace("`", "")).filter(c -> !c.isEmpty())
        .forEach(codes::add);
    assertFalse(codes.isEmpty());
    assertEquals(ReplaySelection.defaultCodes(), codes);
  }

  private static Set<String> templateParameters(List<String> command) throws IOException {
    Set<String> names = new HashSet<>();
    command.stream().filter(arg -> arg.startsWith("--template=")).findFirst().ifPresent(arg -> {
      try {
        JsonNode metadata = JSON.readTree(TemplateMetadataTest.TEMPLATES
            .resolve(arg.substring("--template=".length()) + "-metadata.json").toFile());
        metadata.get("parameters").forEach(p -> names.add(p.get("name").asText()));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
    return names;
  }
}
