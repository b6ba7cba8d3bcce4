package dev.parley.tools;

import dev.parley.pipeline.IngestPipeline;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

/** {@code ./parley run --tenantConfig=DIR --dropFolder=DIR --outputDir=DIR [--geminiEndpoint=URL]}. */
@Command(
    name = "run",
    description = {
        "Runs the ingest job over a drop folder on the DirectRunner (or any runner: --runner=DataflowRunner).",
        "Takes Beam-style options; --help lists them all."})
public final class RunCommand implements Callable<Integer> {
  @Unmatched List<String> args = new ArrayList<>();

  @Override
  public Integer call() throws Exception {
    IngestPipeline.main(args.toArray(String[]::new));
    return 0;
  }
}
