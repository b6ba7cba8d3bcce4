package dev.parley.tools;

import dev.parley.email.EmailGatewayMain;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

/**
 * {@code ./parley email-gateway --port N --dropFolder DIR --verificationKey REF [--tenantConfig=...]}: the
 * inbound-email gateway on this machine, with the example tenants unless {@code --tenantConfig} says otherwise.
 */
@Command(
    name = "email-gateway",
    description = {
        "Runs the SendGrid Inbound Parse gateway: POST /inbound writes mailed recordings into the drop folder.",
        "Takes the gateway's options (--help lists them); --tenantConfig defaults to the example tenants."})
public final class EmailGatewayCommand implements Callable<Integer> {
  @Unmatched List<String> args = new ArrayList<>();

  @Override
  public Integer call() {
    List<String> gatewayArgs = new ArrayList<>(args);
    if (gatewayArgs.stream().noneMatch(a -> a.startsWith("--tenantConfig"))
        && System.getenv("PARLEY_TENANT_CONFIG") == null) {
      gatewayArgs.add("--tenantConfig=" + DemoCommand.EXAMPLES);
    }
    return new CommandLine(new EmailGatewayMain()).execute(gatewayArgs.toArray(String[]::new));
  }
}
