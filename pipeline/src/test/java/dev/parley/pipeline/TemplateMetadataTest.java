package dev.parley.pipeline;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.tenant.SecretRef;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.Validation;
import org.junit.Test;

/**
 * The Flex Template specs in {@code templates/} and the options interfaces say the same: every option of a job is a
 * parameter of its template and every parameter an option, except Beam's own options, which are left to the
 * launcher on purpose (listed here). Each parameter has a label, help text with an example, and regexes that accept
 * the example and the option's default; required options are required parameters.
 */
public class TemplateMetadataTest {
  static final Path TEMPLATES = Path.of("..", "templates").toAbsolutePath().normalize();
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern EXAMPLE = Pattern.compile("For example, `([^`]*)`\\.");

  /**
   * Beam's {@link PipelineOptions}: the launcher and {@code gcloud dataflow flex-template run} set these (job name,
   * temp location, ...), they are Beam's bookkeeping, or (gbek, a pipeline-wide encryption key) a secret that belongs
   * in the launch's own options, not in a template parameter.
   */
  static final Set<String> LEFT_TO_THE_LAUNCHER =
      Set.of("gbek", "jobName", "optionsId", "runner", "stableUniqueNames", "tempLocation", "userAgent");

  /** Option name to getter, over the interface and everything it extends. */
  static Map<String, Method> options(Class<? extends PipelineOptions> type) {
    Map<String, Method> options = new TreeMap<>();
    for (Method method : type.getMethods()) {
      String name = method.getName();
      boolean getter = method.getParameterCount() == 0 && !Modifier.isStatic(method.getModifiers())
          && (name.startsWith("get") && name.length() > 3 || name.startsWith("is") && name.length() > 2);
      if (!getter) {
        continue;
      }
      String property = name.substring(name.startsWith("get") ? 3 : 2);
      try {
        type.getMethod("set" + property, method.getReturnType());
      } catch (NoSuchMethodException e) {
        continue;
      }
      options.put(Character.toLowerCase(property.charAt(0)) + property.substring(1), method);
    }
    return options;
  }

  static JsonNode metadata(String file) throws IOException {
    return JSON.readTree(TEMPLATES.resolve(file).toFile());
  }

  private static Map<String, JsonNode> parameters(JsonNode metadata) {
    Map<String, JsonNode> parameters = new TreeMap<>();
    metadata.get("parameters").forEach(p -> assertEquals("parameter named once: " + p.get("name"), null,
        parameters.put(p.get("name").asText(), p)));
    return parameters;
  }

  private static void assertMatches(Class<? extends PipelineOptions> type, String file) throws IOException {
    JsonNode metadata = metadata(file);
    assertFalse(metadata.path("name").asText().isBlank());
    assertFalse(metadata.path("description").asText().isBlank());
    Map<String, Method> options = options(type);
    Map<String, JsonNode> parameters = parameters(metadata);
    Set<String> notParameters = new TreeSet<>(options.keySet());
    notParameters.removeAll(parameters.keySet());
    assertEquals(file + ": options without a parameter (add one, or leave it to the launcher on purpose)",
        LEFT_TO_THE_LAUNCHER, notParameters);
    for (String launcher : LEFT_TO_THE_LAUNCHER) {
      assertEquals(launcher + " is Beam's, not Parley's", PipelineOptions.class,
          options.get(launcher).getDeclaringClass());
    }
    Set<String> notOptions = new TreeSet<>(parameters.keySet());
    notOptions.removeAll(options.keySet());
    assertEquals(file + ": parameters that are no option", Set.of(), notOptions);

    for (Map.Entry<String, JsonNode> entry : parameters.entrySet()) {
      String name = file + " " + entry.getKey();
      JsonNode parameter = entry.getValue();
      Method getter = options.get(entry.getKey());
      assertFalse(name + " label", parameter.path("label").asText().isBlank());
      Matcher example = EXAMPLE.matcher(parameter.path("helpText").asText());
      assertTrue(name + " help text ends with an example: For example, `...`.", example.find());
      assertTrue(name + " regexes", parameter.path("regexes").size() > 0);
      assertFalse(name + " paramType", parameter.path("paramType").asText().isBlank());
      parameter.get("regexes").forEach(regex -> {
        assertTrue(name + " example matches " + regex, example.group(1).matches(regex.asText()));
        String defaultValue = defaultOf(getter);
        if (defaultValue != null) {
          assertTrue(name + " default matches " + regex, defaultValue.matches(regex.asText()));
          assertEquals(name + " defaultValue", defaultValue, parameter.path("defaultValue").asText());
        }
      });
      if (getter.isAnnotationPresent(Validation.Required.class)) {
        assertFalse(name + " is required", parameter.path("isOptional").asBoolean(true));
      }
    }
  }

  private static String defaultOf(Method getter) {
    if (getter.isAnnotationPresent(Default.Integer.class)) {
      return Integer.toString(getter.getAnnotation(Default.Integer.class).value());
    }
    if (getter.isAnnotationPresent(Default.Boolean.class)) {
      return Boolean.toString(getter.getAnnotation(Default.Boolean.class).value());
    }
    if (getter.isAnnotationPresent(Default.Enum.class)) {
      return getter.getAnnotation(Default.Enum.class).value();
    }
    if (getter.isAnnotationPresent(Default.String.class)) {
      return getter.getAnnotation(Default.String.class).value();
    }
    return null;
  }

  @Test
  public void theIngestTemplateTakesEveryIngestOption() throws IOException {
    assertMatches(IngestOptions.class, "ingest-metadata.json");
  }

  @Test
  public void theBackfillTemplateTakesEveryBackfillOption() throws IOException {
    assertMatches(BackfillOptions.class, "backfill-metadata.json");
  }

  @Test
  public void anOptionBothJobsShareIsTheSameParameterInBoth() throws IOException {
    Map<String, JsonNode> ingest = parameters(metadata("ingest-metadata.json"));
    Map<String, JsonNode> backfill = parameters(metadata("backfill-metadata.json"));
    Set<String> shared = new TreeSet<>(options(ParleyOptions.class).keySet());
    shared.addAll(options(SinkOptions.class).keySet());
    shared.removeAll(LEFT_TO_THE_LAUNCHER);
    for (String name : shared) {
      assertEquals(name, ingest.get(name), backfill.get(name));
    }
  }

  /** A launch's parameters are shown in the console and the job's options: a secret goes there as a reference. */
  @Test
  public void theRedisAuthParameterTakesASecretReferenceNeverAValue() throws IOException {
    for (String file : List.of("ingest-metadata.json", "backfill-metadata.json")) {
      Map<String, JsonNode> parameters = parameters(metadata(file));
      String auth = parameters.get("admissionRedisAuth").get("regexes").get(0).asText();
      String reference = "sm://projects/parley-prod/secrets/parley-redis-auth/versions/3";
      assertTrue(file, reference.matches(auth));
      assertEquals(file, reference, SecretRef.parse(reference).uri());
      assertFalse(file + ": a bare AUTH string", "correct-horse-battery-staple".matches(auth));
      String redis = parameters.get("admissionRedis").get("regexes").get(0).asText();
      assertTrue(file, "rediss://10.0.0.3:6378/1".matches(redis));
      assertFalse(file + ": credentials in the URI", "redis://:hunter22@10.0.0.3:6379".matches(redis));
    }
  }
}
