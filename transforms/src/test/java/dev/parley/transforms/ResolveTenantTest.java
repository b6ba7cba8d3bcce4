package dev.parley.transforms;

import static org.junit.Assert.assertEquals;

import dev.parley.model.AudioArrival;
import dev.parley.model.DeadLetter;
import dev.parley.tenant.TenantConfigSpec;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.WithFailures;
import org.apache.beam.sdk.values.PCollection;
import org.joda.time.Instant;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class ResolveTenantTest {
  @Rule public final transient TestPipeline pipeline = TestPipeline.create();
  @Rule public final transient TemporaryFolder tmp = new TemporaryFolder();

  private static AudioArrival arrival(String uri, String claim) {
    return AudioArrival.builder().setCallId(CallIds.forObject(uri, 1)).setTenantId(claim).setSourceUri(uri)
        .setSizeBytes(100).setEventTime(Instant.EPOCH).build();
  }

  @Test
  public void acceptsOnlyWhenPathSourcesAndClaimAgree() throws Exception {
    TenantConfigSpec tenants = TestTenants.write(tmp.getRoot().toPath());
    List<AudioArrival> arrivals = List.of(
        arrival("gs://drop/acme/a.wav", "acme"),            // drop layout, claim agrees
        arrival("gs://acme-bucket/calls/b.wav", null),      // owned by a configured source
        arrival("gs://globex-bucket/x/c.wav", "globex"),    // claim agrees with the source
        arrival("gs://acme-bucket/calls/d.wav", "globex"),  // claim contradicts the source
        arrival("gs://drop/acme/e.wav", "globex"),          // claim contradicts the folder
        arrival("gs://elsewhere/f.wav", "acme"),            // outside every source of the claimed tenant
        arrival("gs://elsewhere/g.wav", null),              // nobody's
        arrival("gs://drop/nobody/h.wav", "nobody"),        // not configured
        arrival("gs://drop/dormant/i.wav", "dormant"),      // disabled
        arrival("gs://drop/bad id/j.wav", "bad id"));       // breaks the id rule

    WithFailures.Result<PCollection<AudioArrival>, DeadLetter> result = pipeline
        .apply(Create.of(arrivals))
        .apply(ResolveTenant.using(tenants, DropFolderLayout.at("gs://drop/")));

    PAssert.that(result.output()).satisfies(out -> {
      Map<String, String> tenantOf = StreamSupport.stream(out.spliterator(), false)
          .collect(Collectors.toMap(AudioArrival::getSourceUri, AudioArrival::getTenantId));
      assertEquals(Map.of("gs://drop/acme/a.wav", "acme", "gs://acme-bucket/calls/b.wav", "acme",
          "gs://globex-bucket/x/c.wav", "globex"), tenantOf);
      return null;
    });
    PAssert.that(result.failures()).satisfies(out -> {
      Map<String, String> codes = StreamSupport.stream(out.spliterator(), false)
          .collect(Collectors.toMap(DeadLetter::getSourceUri, DeadLetter::getErrorCode));
      assertEquals(Map.of(
          "gs://acme-bucket/calls/d.wav", "TENANT_MISMATCH",
          "gs://drop/acme/e.wav", "TENANT_MISMATCH",
          "gs://elsewhere/f.wav", "TENANT_MISMATCH",
          "gs://elsewhere/g.wav", "PATH_OUTSIDE_TENANT_LAYOUT",
          "gs://drop/nobody/h.wav", "TENANT_UNKNOWN",
          "gs://drop/dormant/i.wav", "TENANT_DISABLED",
          "gs://drop/bad id/j.wav", "TENANT_ID_INVALID"), codes);
      return null;
    });
    pipeline.run().waitUntilFinish();
  }
}
