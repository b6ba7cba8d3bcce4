package dev.parley.tools.reliability;

import dev.parley.emulator.gemini.Fault;
import dev.parley.tools.reliability.ReliabilityScenario.Settings;
import dev.parley.tools.reliability.ScenarioLedger.Outcome;
import dev.parley.tools.reliability.ScenarioLedger.Settlement;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** What one run of the scenario showed; {@link #toString} is the printed report, ending with {@link #summaryLine}. */
public record ReliabilityReport(
    Settings settings,
    Settlement settlement,
    List<String> secretLeaks,
    long logEvents,
    Map<Fault.Kind, Long> modelFaults,
    int modelRequests,
    long spannerAborted,
    long spannerUnavailable,
    int spannerCommits,
    long pubsubDuplicates,
    int crmRequestsRefusedWhileDown,
    long transcribedCounter,
    long heapBeforeBytes,
    long heapPeakBytes,
    List<String> timeline,
    Duration elapsed) {

  public int inputs() {
    return settlement.outcomes().size();
  }

  public int stored() {
    return settlement.stored();
  }

  public int deadLettered() {
    return settlement.deadLettered();
  }

  /** Inputs with no outcome, and stored calls of a tenant with a CRM that never reached it. */
  public int lost() {
    return settlement.lost() + settlement.crmMissing();
  }

  public int duplicated() {
    return settlement.duplicated();
  }

  public int secretsLeaked() {
    return secretLeaks.size();
  }

  public List<String> crossed() {
    return settlement.crossed();
  }

  /** Inputs stored or dead-lettered otherwise than planned (a good one dead-lettered, a bad one under another code). */
  public List<String> unexpected() {
    return settlement.unexpected();
  }

  /** Dead letters and stored calls that belong to no input. */
  public List<String> unmatched() {
    return settlement.unmatched();
  }

  /** Per kind of bad input, the codes its dead letters carried. */
  public Map<String, String> codesByKind() {
    Map<String, String> codes = new TreeMap<>();
    for (Outcome outcome : settlement.outcomes()) {
      if (!outcome.input().good()) {
        codes.merge(outcome.input().kind(), String.join("+", outcome.codes().stream().distinct().toList()),
            (a, b) -> a.equals(b) ? a : a + " | " + b);
      }
    }
    return codes;
  }

  public String summaryLine() {
    return String.format(Locale.ROOT, "reliability: inputs=%d stored=%d dlq=%d lost=%d duplicated=%d secrets_leaked=%d",
        inputs(), stored(), deadLettered(), lost(), duplicated(), secretsLeaked());
  }

  @Override
  public String toString() {
    StringBuilder report = new StringBuilder();
    long good = settlement.outcomes().stream().filter(o -> o.input().good()).count();
    report.append(String.format(Locale.ROOT, "inputs: %d (%d good recordings of %d tenants, %d bad), fed over %d s;"
            + " settled in %d s%n", inputs(), good, settings.tenants() + 1, inputs() - good, settings.feed().toSeconds(),
        elapsed.toSeconds()));
    report.append(String.format(Locale.ROOT, "faults: model %d requests, of which %s; Spanner %d commits took effect,"
            + " %d refused ABORTED, %d UNAVAILABLE; Pub/Sub %d messages held twice; %d webhook requests refused"
            + " while %d tenants' endpoints were down for %d s%n",
        modelRequests, modelFaults.entrySet().stream().filter(e -> e.getValue() > 0)
            .map(e -> e.getValue() + " " + e.getKey()).collect(Collectors.joining(", ")),
        spannerCommits, spannerAborted, spannerUnavailable, pubsubDuplicates, crmRequestsRefusedWhileDown,
        settings.tenantsWithCrmOutage(), settings.crmOutage().toSeconds()));
    report.append(String.format(Locale.ROOT, "outcomes: %d stored (counter transcribed=%d), %d dead-lettered in %d"
            + " dead letters, %d lost, %d stored calls never reached their CRM, %d pushed twice%n",
        stored(), transcribedCounter, deadLettered(), settlement.deadLetterRecords(), settlement.lost(),
        settlement.crmMissing(), settlement.crmDuplicated()));
    report.append("progress (time since start):\n");
    timeline.forEach(t -> report.append("  ").append(t).append('\n'));
    report.append("dead letters by code: ").append(settlement.codes()).append('\n');
    report.append("bad input kinds and their codes: ").append(codesByKind()).append('\n');
    report.append(String.format(Locale.ROOT, "isolation: %d crossings (rows, model requests and deliveries checked"
        + " against the owner of the audio and of the credentials)%n", crossed().size()));
    crossed().stream().limit(10).forEach(c -> report.append("  crossed: ").append(c).append('\n'));
    unexpected().stream().limit(20).forEach(u -> report.append("  unexpected: ").append(u).append('\n'));
    unmatched().stream().limit(10).forEach(u -> report.append("  unmatched: ").append(u).append('\n'));
    report.append(String.format(Locale.ROOT, "secrets: %d log events captured and scanned with dead letters, rows,"
        + " CRM payloads, prompts and metric names: %d leaks%n", logEvents, secretsLeaked()));
    secretLeaks.stream().limit(10).forEach(l -> report.append("  leak: ").append(l).append('\n'));
    report.append(String.format(Locale.ROOT, "heap: %.0f MB live before the job, %.0f MB peak live while it ran"
            + " (job, DirectRunner and every stand-in in one JVM; max heap %.0f MB)%n",
        heapBeforeBytes / 1e6, heapPeakBytes / 1e6, Runtime.getRuntime().maxMemory() / 1e6));
    report.append(summaryLine());
    return report.toString();
  }
}
