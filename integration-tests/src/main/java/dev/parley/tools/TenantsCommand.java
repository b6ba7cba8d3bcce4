package dev.parley.tools;

import dev.parley.tenant.ConfigProblem;
import dev.parley.tenant.TenantConfig;
import dev.parley.tenant.TenantConfigException;
import dev.parley.tenant.TenantConfigLoader;
import dev.parley.tenant.TenantRegistry;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code ./parley tenants validate LOCATION...}: checks a tenant config the way a job would load it. */
@Command(name = "tenants", description = "Tenant configuration tools.", subcommands = TenantsCommand.Validate.class)
public final class TenantsCommand implements Runnable {
  @Override
  public void run() {
    new picocli.CommandLine(this).usage(System.out);
  }

  @Command(name = "validate", description = {
      "Validates tenant config (files or folders, local or gs://, layered in order).",
      "Prints every problem with its file, tenant and field; exits 1 if there is any."})
  static final class Validate implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "LOCATION") List<String> locations;

    @Override
    public Integer call() {
      FileSystems.setDefaultPipelineOptions(PipelineOptionsFactory.create());
      try {
        TenantRegistry registry = TenantConfigLoader.load(locations);
        System.out.println("OK: " + registry.tenants().size() + " tenant(s)");
        for (TenantConfig tenant : registry.tenants()) {
          System.out.printf("  %-24s %-8s %-11s %-22s crm=%s%n", tenant.id(), tenant.enabled() ? "enabled" : "disabled",
              tenant.transcription().gemini() == null ? tenant.transcription().engine() : tenant.transcription().gemini().backend(),
              tenant.transcription().model(), tenant.crm().kind());
        }
        return 0;
      } catch (TenantConfigException e) {
        System.err.println("INVALID: " + e.problems().size() + " problem(s)");
        for (ConfigProblem problem : e.problems()) {
          System.err.println("  " + problem);
        }
        return 1;
      }
    }
  }
}
