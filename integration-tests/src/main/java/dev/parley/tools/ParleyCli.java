package dev.parley.tools;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code ./parley}: the one entry point for local use. */
@Command(
    name = "parley",
    mixinStandardHelpOptions = true,
    description = "Multi-tenant call-recording ingestion on Apache Beam.",
    subcommands = {DemoCommand.class, RunCommand.class, BackfillCommand.class, TenantsCommand.class, EmulatorCommand.class, BenchCommand.class,
        EmailGatewayCommand.class, DlqCommand.class})
public final class ParleyCli implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(new CommandLine(new ParleyCli()).execute(args));
  }

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }
}
