package dev.parley.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.util.ContextInitializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.model.AudioArrival;
import dev.parley.tenant.TenantConfigSpec;
import dev.parley.transforms.ProbeAudio;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.joda.time.Instant;
import org.junit.Rule;
import org.junit.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * {@code PARLEY_LOG_FORMAT=json} ({@code ./parley} then loads {@code logback-json.xml}): a stage's log line on stderr
 * is one JSON object whose fields carry the tenant and the call, both as SLF4J key-values (what the JSON encoder
 * writes) and in the MDC at the time of the call (what Dataflow's harness puts into the Cloud Logging entry).
 */
public class StructuredLogTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Rule public final transient TestPipeline pipeline = TestPipeline.create();

  @Test
  public void theJsonConfigWritesAStageLineWithTenantAndCallAsFields() throws Exception {
    AudioArrival missing = AudioArrival.builder().setCallId("c-structured-1").setTenantId("acme-sales")
        .setSourceUri("/nonexistent/acme-sales/gone.wav").setSizeBytes(1000).setEventTime(new Instant(0)).build();
    pipeline.apply(Create.of(missing))
        .apply(ProbeAudio.using(new TenantConfigSpec(List.of(LocalTenants.EXAMPLES.toString()), Duration.ofSeconds(10))));

    String stderr = stderrWithLogbackConfig("logback-json.xml", () -> pipeline.run().waitUntilFinish());

    List<JsonNode> lines = new ArrayList<>();
    for (String line : stderr.split("\n")) {
      lines.add(JSON.readTree(line)); // fails on any line that is not one JSON object
    }
    JsonNode line = lines.stream()
        .filter(l -> l.path("loggerName").asText().startsWith(ProbeAudio.class.getName())).findFirst()
        .orElseThrow(() -> new AssertionError("no ProbeAudio line in: " + stderr));
    assertEquals("WARN", line.get("level").asText());
    assertEquals(Map.of("tenantId", "acme-sales", "callId", "c-structured-1", "stage", "ProbeAudio"),
        keyValues(line));
    assertEquals("acme-sales", line.at("/mdc/tenantId").asText());
    assertEquals("c-structured-1", line.at("/mdc/callId").asText());
    assertEquals("cannot read recording header: java.io.FileNotFoundException: /nonexistent/acme-sales/gone.wav"
        + " (No such file or directory)", line.get("formattedMessage").asText());
    assertNull("the MDC is put back", MDC.get("tenantId"));
  }

  /** The JSON encoder writes key-values as a list of one-field objects. */
  private static Map<String, String> keyValues(JsonNode line) {
    Map<String, String> keyValues = new HashMap<>();
    line.get("kvpList").forEach(kv -> kv.fields().forEachRemaining(f -> keyValues.put(f.getKey(), f.getValue().asText())));
    return keyValues;
  }

  /** Runs {@code work} with logging configured from the classpath resource {@code config}, stderr captured. */
  private static String stderrWithLogbackConfig(String config, Runnable work) throws Exception {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    PrintStream stderr = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      context.reset();
      JoranConfigurator configurator = new JoranConfigurator();
      configurator.setContext(context);
      configurator.doConfigure(StructuredLogTest.class.getClassLoader().getResource(config));
      work.run();
    } finally {
      System.setErr(stderr);
      context.reset();
      new ContextInitializer(context).autoConfig();
    }
    return captured.toString(StandardCharsets.UTF_8);
  }
}
