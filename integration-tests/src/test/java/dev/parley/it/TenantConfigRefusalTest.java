package dev.parley.it;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertThrows;

import dev.parley.pipeline.IngestOptions;
import dev.parley.pipeline.IngestPipeline;
import dev.parley.tenant.TenantConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** A job with an invalid tenant config is refused at launch, with every problem named. */
public class TenantConfigRefusalTest {
  @Rule public TemporaryFolder tmp = new TemporaryFolder();

  @Test
  public void theJobRefusesToStartAndNamesTheField() throws Exception {
    Path overlay = tmp.newFile("bad.yaml").toPath();
    Files.writeString(overlay, "tenants:\n  initech:\n    quota: {requestsPerMinute: 0}\n    crm: {kind: telepathy}\n");
    IngestOptions options = PipelineOptionsFactory.fromArgs(
        "--tenantConfig=" + LocalTenants.EXAMPLES + "," + overlay, "--dropFolder=" + tmp.newFolder("drop"),
        "--outputDir=" + tmp.newFolder("out")).as(IngestOptions.class);

    TenantConfigException e = assertThrows(TenantConfigException.class, () -> IngestPipeline.create(options));
    assertThat(e.getMessage(), containsString("bad.yaml: tenant 'initech': /quota/requestsPerMinute: must have a minimum value of 1"));
    assertThat(e.getMessage(), containsString("bad.yaml: tenant 'initech': /crm/kind: does not have a value in the enumeration"));
  }
}
