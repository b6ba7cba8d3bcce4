package dev.parley.tenant;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class ReloadingTenantRegistryTest {
  @Rule public TemporaryFolder tmp = new TemporaryFolder();

  @Test
  public void picksUpAChangeAndKeepsTheLastGoodConfigWhenAReloadIsInvalid() throws Exception {
    Path dir = tmp.newFolder("tenants").toPath();
    Path examples = Path.of(TenantConfigLoaderTest.examplesDir());
    for (String name : List.of("defaults.yaml", "initech.yaml")) {
      Files.copy(examples.resolve(name), dir.resolve(name));
    }
    // A long interval: this test drives reloads itself.
    ReloadingTenantRegistry registry = ReloadingTenantRegistry.shared(List.of(dir.toString()), Duration.ofHours(1));
    assertSame(registry, ReloadingTenantRegistry.shared(List.of(dir.toString()), Duration.ofHours(1)));
    assertEquals(20, registry.current().find("initech").orElseThrow().quota().requestsPerMinute());
    assertFalse("unchanged files are not a change", registry.reload());

    Path initech = dir.resolve("initech.yaml");
    Files.writeString(initech, Files.readString(initech).replace("requestsPerMinute: 20", "requestsPerMinute: 45"));
    assertTrue(registry.reload());
    assertEquals(45, registry.current().find("initech").orElseThrow().quota().requestsPerMinute());

    Files.writeString(initech, Files.readString(initech).replace("requestsPerMinute: 45", "requestsPerMinute: -1"));
    assertFalse(registry.reload());
    assertEquals(1, registry.failedReloads());
    assertEquals(45, registry.current().find("initech").orElseThrow().quota().requestsPerMinute());
  }
}
