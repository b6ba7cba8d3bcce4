package dev.parley.tools;

import dev.parley.transforms.backfill.TimeRange;
import dev.parley.transforms.replay.DeadLetterFiles;
import dev.parley.transforms.replay.JsonLinesReplayTarget;
import dev.parley.transforms.replay.PubsubReplayTarget;
import dev.parley.transforms.replay.ReplayEvent;
import dev.parley.transforms.replay.ReplayPlan;
import dev.parley.transforms.replay.ReplaySelection;
import dev.parley.transforms.replay.ReplayTarget;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.beam.sdk.extensions.gcp.auth.NoopCredentialFactory;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.gcp.pubsub.PubsubOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ./parley dlq replay ...}: dead-letter tools. */
@Command(name = "dlq", description = "Dead-letter tools.", subcommands = DlqCommand.Replay.class)
public final class DlqCommand implements Runnable {
  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }

  @Command(name = "replay", mixinStandardHelpOptions = true, description = {
      "Sends dead letters back through the pipeline as the same calls: arrival events (or the original Pub/Sub",
      "messages) to the job's topic, or to a JSON Lines file. Without --code, only the codes that are safe to",
      "replay at any time (docs/runbook.md). Replaying twice is harmless: a call is processed at most once more",
      "and stored once."})
  static final class Replay implements Callable<Integer> {
    @Option(names = "--deadLetterDir", required = true,
        description = "Folder of dead_letters-*.jsonl files (a job's --deadLetterDir or --outputDir), local or gs://, "
            + "or a file pattern.")
    String deadLetterDir;

    @Option(names = "--tenant", description = "Only this tenant's dead letters.")
    String tenant;

    @Option(names = "--code", split = ",", description = "Only these error codes. Default: the codes that are safe "
        + "to replay at any time (ErrorCode.Replay.BY_DEFAULT, listed in docs/runbook.md).")
    List<String> codes = new ArrayList<>();

    @Option(names = "--stage", split = ",", description = "Only dead letters of these stages (e.g. Transcribe).")
    List<String> stages = new ArrayList<>();

    @Option(names = "--from", description = "Only dead letters that failed at or after this time (ISO-8601 instant "
        + "or date, today, yesterday).")
    String from;

    @Option(names = "--to", description = "Only dead letters that failed before this time.")
    String to;

    @Option(names = "--topic", description = "Publish to this topic: projects/P/topics/T, the one the job's "
        + "--subscription reads.")
    String topic;

    @Option(names = "--pubsubRootUrl", description = "Pub/Sub at this root URL instead of Google's, without "
        + "credentials (a local stand-in). Example: http://127.0.0.1:8085")
    String pubsubRootUrl;

    @Option(names = "--out", description = "Write the events to this JSON Lines file instead (local or gs://).")
    String out;

    @Option(names = "--dry-run", description = "List what would be replayed, and what cannot be; send nothing.")
    boolean dryRun;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      if (!dryRun && (topic == null) == (out == null)) {
        throw new CommandLine.ParameterException(spec.commandLine(), "give one of --topic and --out, or --dry-run");
      }
      PubsubOptions options = PipelineOptionsFactory.create().as(PubsubOptions.class);
      if (pubsubRootUrl != null) {
        options.setPubsubRootUrl(pubsubRootUrl);
        options.setCredentialFactoryClass(NoopCredentialFactory.class);
      }
      FileSystems.setDefaultPipelineOptions(options);
      ReplaySelection selection;
      try {
        selection = ReplaySelection.of(tenant, codes, stages, TimeRange.parseTime(from), TimeRange.parseTime(to));
      } catch (IllegalArgumentException e) {
        throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
      }
      ReplayPlan plan = ReplayPlan.of(DeadLetterFiles.read(deadLetterDir), selection);
      ReplayTarget target = topic != null ? new PubsubReplayTarget(topic, options) : out != null
          ? new JsonLinesReplayTarget(out) : null;
      PrintWriter report = spec.commandLine().getOut();
      for (ReplayEvent event : plan.events()) {
        report.printf("%s %s %s %s %s %s %s%n", dryRun ? "would replay" : "replaying", event.origin().getTenantId(),
            event.callId(), event.origin().getErrorCode(), event.origin().getStage(), event.origin().getFailedAt(),
            event.origin().getSourceUri());
      }
      for (ReplayPlan.Refused refused : plan.refused()) {
        report.printf("cannot replay %s %s %s: %s%n", refused.letter().getTenantId(), refused.letter().getCallId(),
            refused.letter().getErrorCode(), refused.reason());
      }
      for (DeadLetterFiles.Unreadable line : plan.unreadable()) {
        report.printf("unreadable %s:%d: %s%n", line.file(), line.line(), line.problem());
      }
      if (!dryRun) {
        target.send(plan.events());
      }
      report.printf("dlq replay: read=%d selected=%d events=%d refused=%d unreadable=%d%s%n", plan.read(),
          plan.selected(), plan.events().size(), plan.refused().size(), plan.unreadable().size(),
          dryRun ? " (dry run: nothing sent)" : " sent to " + target.describe());
      return 0;
    }
  }
}
