package dev.parley.it;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.greaterThan;
import static org.junit.Assert.assertEquals;

import dev.parley.emulator.gemini.Fault;
import dev.parley.tools.reliability.ReliabilityReport;
import dev.parley.tools.reliability.ReliabilityScenario;
import java.nio.file.Path;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The reliability scenario at test size (see {@link ReliabilityScenario}; {@code ./parley bench reliability} runs
 * it larger): every input is stored once and pushed once, or dead-lettered with its planned code, under every
 * fault the stand-ins can inject, with no tenant crossing and no secret leaked.
 */
public class ReliabilityTest {
  @Rule public TemporaryFolder tmp = new TemporaryFolder();

  @Test
  public void nothingLostNothingTwiceNoTenantCrossedNoSecretLeaked() throws Exception {
    Path fixtures = Path.of("..", "transforms", "src", "test", "resources", "audio").toAbsolutePath().normalize();
    ReliabilityReport report = new ReliabilityScenario(ReliabilityScenario.Settings.small(fixtures))
        .run(tmp.getRoot().toPath());
    System.out.println(report);

    assertThat(report.toString(), endsWith(report.summaryLine()));
    assertEquals("inputs with no outcome, or calls that never reached their CRM", 0, report.lost());
    assertEquals(0, report.duplicated());
    assertEquals(0, report.secretsLeaked());
    assertEquals(report.inputs(), report.stored() + report.deadLettered());
    assertThat("every input has the outcome planned for it", report.unexpected(), empty());
    assertThat("every row and dead letter belongs to an input", report.unmatched(), empty());
    assertThat(report.crossed(), empty());

    // The faults were there to be survived.
    for (Fault.Kind kind : new Fault.Kind[] {Fault.Kind.RATE_LIMITED, Fault.Kind.INTERNAL, Fault.Kind.UNAVAILABLE,
        Fault.Kind.TIMEOUT, Fault.Kind.MALFORMED}) {
      assertThat(kind + " answers", report.modelFaults().get(kind), greaterThan(0L));
    }
    assertThat(report.spannerAborted(), greaterThan(0L));
    assertThat(report.spannerUnavailable(), greaterThan(0L));
    assertThat(report.pubsubDuplicates(), greaterThan(0L));
    assertThat("the webhooks were called while down", report.crmRequestsRefusedWhileDown(), greaterThan(0));
  }
}
