package dev.parley.tenant;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.networknt.schema.JsonNodePath;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;

/**
 * Loads tenant configuration in the style of Mimir's runtime config: {@code defaults} for every tenant plus
 * per-tenant overrides under {@code tenants}, in YAML, from one or more locations (a file, or a folder of
 * {@code *.yaml}/{@code *.yml} files; local or {@code gs://}). Locations and the files in a folder are merged
 * in order, so an environment can layer its own overrides on a shared base.
 *
 * <p>Every problem is collected and reported with its file, tenant and field before anything is refused, so
 * an operator fixes a config in one pass.
 */
public final class TenantConfigLoader {
  static final String SCHEMA = "classpath:dev/parley/tenant/tenant-config.schema.json";

  private static final Pattern PROMPT_PLACEHOLDER = Pattern.compile("\\$\\{([^}]*)}");
  private static final YAMLMapper YAML = yamlMapper();
  private static final ObjectMapper BINDER =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);
  private static final JsonSchemaFactory SCHEMAS =
      JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
  private static final JsonSchema FILE_SCHEMA = SCHEMAS.getSchema(SchemaLocation.of(SCHEMA));
  private static final JsonSchema RESOLVED_SCHEMA =
      SCHEMAS.getSchema(SchemaLocation.of(SCHEMA + "#/$defs/resolvedTenant"));

  private TenantConfigLoader() {}

  /** Reads every location through Beam's {@link FileSystems} and loads them as one layered config. */
  public static TenantRegistry load(List<String> locations) throws TenantConfigException {
    List<ConfigDocument> documents = new ArrayList<>();
    List<ConfigProblem> problems = new ArrayList<>();
    for (String location : locations) {
      try {
        List<MatchResult.Metadata> files = matchFiles(location);
        if (files.isEmpty()) {
          problems.add(new ConfigProblem(location, null, "", "no *.yaml or *.yml file found"));
        }
        for (MatchResult.Metadata file : files) {
          documents.add(new ConfigDocument(file.resourceId().toString(), read(file)));
        }
      } catch (IOException e) {
        problems.add(new ConfigProblem(location, null, "", "cannot be read: " + e.getMessage()));
      }
    }
    if (!problems.isEmpty()) {
      throw new TenantConfigException(problems);
    }
    return fromDocuments(documents);
  }

  /** Loads already-read documents, merged in the given order. */
  public static TenantRegistry fromDocuments(List<ConfigDocument> documents) throws TenantConfigException {
    List<ConfigProblem> problems = new ArrayList<>();
    ObjectNode defaults = JsonNodeFactory.instance.objectNode();
    ObjectNode models = JsonNodeFactory.instance.objectNode();
    boolean defaultsValid = true;
    Map<String, ObjectNode> overrides = new LinkedHashMap<>();
    Map<String, String> definedIn = new HashMap<>();
    Set<String> invalidTenants = new java.util.HashSet<>();

    for (ConfigDocument document : documents) {
      Optional<JsonNode> parsed = parse(document, problems);
      if (parsed.isEmpty()) {
        continue;
      }
      JsonNode root = parsed.get();
      for (ValidationMessage message : FILE_SCHEMA.validate(root)) {
        ConfigProblem problem = locate(document.name(), message);
        problems.add(problem);
        if (problem.tenant() == null) {
          defaultsValid = false;
        } else {
          invalidTenants.add(problem.tenant());
        }
      }
      if (root.path("defaults").isObject()) {
        deepMerge(defaults, (ObjectNode) root.get("defaults"));
      }
      if (root.path("models").isObject()) {
        deepMerge(models, (ObjectNode) root.get("models"));
      }
      root.path("tenants").fields().forEachRemaining(entry -> {
        String id = entry.getKey();
        Optional<String> idProblem = TenantId.problem(id);
        if (idProblem.isPresent()) {
          problems.add(new ConfigProblem(document.name(), null, "/tenants/" + printable(id), idProblem.get()));
          invalidTenants.add(id);
          return;
        }
        if (entry.getValue().isObject()) {
          deepMerge(overrides.computeIfAbsent(id, k -> JsonNodeFactory.instance.objectNode()),
              (ObjectNode) entry.getValue());
        }
        definedIn.put(id, document.name());
      });
    }

    Map<String, TenantConfig> tenants = new LinkedHashMap<>();
    if (defaultsValid) {
      for (Map.Entry<String, ObjectNode> entry : overrides.entrySet()) {
        String id = entry.getKey();
        if (invalidTenants.contains(id)) {
          continue;
        }
        resolve(id, defaults, entry.getValue(), definedIn.get(id), problems).ifPresent(t -> tenants.put(id, t));
      }
    }
    if (overrides.isEmpty() && invalidTenants.isEmpty()) {
      String where = documents.isEmpty() ? "(no files)" : documents.get(documents.size() - 1).name();
      problems.add(new ConfigProblem(where, null, "/tenants", "no tenant is defined"));
    }
    checkSourcesDisjoint(tenants, definedIn, problems);
    checkRecipientsDisjoint(tenants, definedIn, problems);
    if (!problems.isEmpty()) {
      throw new TenantConfigException(problems);
    }
    return new TenantRegistry(tenants, bindModels(models), fingerprint(documents));
  }

  private static Optional<TenantConfig> resolve(
      String id, ObjectNode defaults, ObjectNode override, String file, List<ConfigProblem> problems) {
    ObjectNode merged = defaults.deepCopy();
    deepMerge(merged, override);
    Set<ValidationMessage> messages = RESOLVED_SCHEMA.validate(merged);
    if (!messages.isEmpty()) {
      messages.stream()
          .map(m -> new ConfigProblem(file, id, pointer(m, 0), m.getError()))
          .sorted(Comparator.comparing(ConfigProblem::field))
          .forEach(problems::add);
      return Optional.empty();
    }
    Matcher placeholder = PROMPT_PLACEHOLDER.matcher(merged.at("/transcription/prompt").asText());
    while (placeholder.find()) {
      if (!TenantConfig.Transcription.PROMPT_PLACEHOLDERS.contains(placeholder.group(1))) {
        problems.add(new ConfigProblem(file, id, "/transcription/prompt", "unknown placeholder ${"
            + placeholder.group(1) + "}; a prompt may use " + TenantConfig.Transcription.PROMPT_PLACEHOLDERS));
        return Optional.empty();
      }
    }
    merged.put("id", id);
    try {
      return Optional.of(BINDER.treeToValue(merged, TenantConfig.class));
    } catch (JsonProcessingException | IllegalArgumentException e) {
      // The schema and the records disagree: a bug in Parley, reported like a config problem so it is seen.
      // Only the exception type: Jackson's message may quote the value, and the value may be a secret.
      problems.add(new ConfigProblem(file, id, "", "cannot be bound (" + e.getClass().getSimpleName() + ")"));
      return Optional.empty();
    }
  }

  private static Map<String, ModelConfig> bindModels(ObjectNode models) throws TenantConfigException {
    Map<String, ModelConfig> out = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> entry : (Iterable<Map.Entry<String, JsonNode>>) models::fields) {
      ObjectNode model = entry.getValue().deepCopy();
      model.put("name", entry.getKey());
      try {
        out.put(entry.getKey(), BINDER.treeToValue(model, ModelConfig.class));
      } catch (JsonProcessingException e) {
        throw new TenantConfigException(List.of(new ConfigProblem("models", null, "/models/" + entry.getKey(),
            "cannot be bound (" + e.getClass().getSimpleName() + ")")));
      }
    }
    return out;
  }

  private static Optional<JsonNode> parse(ConfigDocument document, List<ConfigProblem> problems) {
    try {
      JsonNode root = YAML.readTree(document.text());
      if (root == null || root.isMissingNode() || root.isNull()) {
        return Optional.empty(); // An empty layer is allowed: it changes nothing.
      }
      return Optional.of(root);
    } catch (JsonProcessingException e) {
      String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr()
          + ", column " + e.getLocation().getColumnNr();
      problems.add(new ConfigProblem(document.name(), null, "", "not valid YAML" + where + ": "
          + e.getOriginalMessage()));
      return Optional.empty();
    }
  }

  /** A schema message placed in file, tenant and field: paths under /tenants/{id} belong to that tenant. */
  private static ConfigProblem locate(String file, ValidationMessage message) {
    JsonNodePath path = message.getInstanceLocation();
    if (path.getNameCount() >= 2 && "tenants".equals(path.getName(0))) {
      return new ConfigProblem(file, path.getName(1), pointer(message, 2), message.getError());
    }
    return new ConfigProblem(file, null, pointer(message, 0), message.getError());
  }

  /** The message's instance location as a JSON pointer, from path element {@code from} on. */
  private static String pointer(ValidationMessage message, int from) {
    JsonNodePath path = message.getInstanceLocation();
    StringBuilder out = new StringBuilder();
    for (int i = from; i < path.getNameCount(); i++) {
      out.append('/').append(path.getName(i));
    }
    if ("additionalProperties".equals(message.getType()) && message.getProperty() != null) {
      out.append('/').append(message.getProperty()); // The unknown field itself, not its parent.
    }
    return out.toString();
  }

  private static void checkSourcesDisjoint(
      Map<String, TenantConfig> tenants, Map<String, String> definedIn, List<ConfigProblem> problems) {
    List<TenantConfig> all = new ArrayList<>(tenants.values());
    for (int i = 0; i < all.size(); i++) {
      for (int j = i + 1; j < all.size(); j++) {
        for (String a : all.get(i).sources()) {
          for (String b : all.get(j).sources()) {
            if (SourcePrefix.overlap(a, b)) {
              problems.add(new ConfigProblem(definedIn.get(all.get(j).id()), all.get(j).id(), "/sources",
                  "source " + b + " overlaps source " + a + " of tenant '" + all.get(i).id()
                      + "': every object must belong to exactly one tenant"));
            }
          }
        }
      }
    }
  }

  private static void checkRecipientsDisjoint(
      Map<String, TenantConfig> tenants, Map<String, String> definedIn, List<ConfigProblem> problems) {
    List<TenantConfig> all = tenants.values().stream().filter(t -> t.inboundEmail() != null).toList();
    for (int i = 0; i < all.size(); i++) {
      for (int j = i + 1; j < all.size(); j++) {
        List<String> shared = all.get(j).inboundEmail().sharedRecipients(all.get(i).inboundEmail());
        if (!shared.isEmpty()) {
          problems.add(new ConfigProblem(definedIn.get(all.get(j).id()), all.get(j).id(), "/inboundEmail",
              "recipient(s) " + String.join(", ", shared) + " also belong to tenant '" + all.get(i).id()
                  + "': every recipient must belong to exactly one tenant"));
        }
      }
    }
  }

  /** Maps merge key by key; anything else in {@code top} replaces what {@code base} had. */
  static void deepMerge(ObjectNode base, ObjectNode top) {
    top.fields().forEachRemaining(entry -> {
      JsonNode existing = base.get(entry.getKey());
      if (existing instanceof ObjectNode existingObject && entry.getValue() instanceof ObjectNode topObject) {
        deepMerge(existingObject, topObject);
      } else {
        base.set(entry.getKey(), entry.getValue().deepCopy());
      }
    });
  }

  private static List<MatchResult.Metadata> matchFiles(String location) throws IOException {
    if (location.endsWith(".yaml") || location.endsWith(".yml")) {
      return FileSystems.match(location, EmptyMatchTreatment.DISALLOW).metadata();
    }
    String folder = location.endsWith("/") ? location : location + "/";
    List<MatchResult.Metadata> files = new ArrayList<>();
    for (MatchResult result : FileSystems.match(
        List.of(folder + "*.yaml", folder + "*.yml"), EmptyMatchTreatment.ALLOW)) {
      files.addAll(result.metadata());
    }
    files.sort(Comparator.comparing(m -> m.resourceId().toString()));
    return files;
  }

  private static String read(MatchResult.Metadata file) throws IOException {
    try (InputStream in = Channels.newInputStream(FileSystems.open(file.resourceId()))) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static String fingerprint(List<ConfigDocument> documents) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      for (ConfigDocument document : documents) {
        digest.update(document.name().getBytes(StandardCharsets.UTF_8));
        digest.update((byte) 0);
        digest.update(document.text().getBytes(StandardCharsets.UTF_8));
        digest.update((byte) 0);
      }
      return HexFormat.of().formatHex(digest.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Escapes what a terminal would interpret, so an id with control characters is shown, not obeyed. */
  private static String printable(String text) {
    StringBuilder out = new StringBuilder();
    text.codePoints().limit(80).forEach(c -> {
      if (c < 0x20 || c == 0x7f) {
        out.append(String.format("\\u%04x", c));
      } else {
        out.appendCodePoint(c);
      }
    });
    return text.codePointCount(0, text.length()) > 80 ? out + "…" : out.toString();
  }

  private static YAMLMapper yamlMapper() {
    YAMLMapper mapper = new YAMLMapper();
    mapper.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    return mapper;
  }
}
