package dev.parley.tools;

import dev.parley.pipeline.BackfillPipeline;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

/**
 * {@code ./parley backfill --tenantConfig=DIR --source=PREFIX --outputDir=DIR [--from --to --tenant --manifest
 * --reprocess --modelBatchMode]}: every option goes to the pipeline as it is.
 */
@Command(
    name = "backfill",
    description = {
        "Transcribes recordings already in storage: a prefix (or a manifest), a time range, one tenant or all.",
        "Skips calls already stored unless --reprocess; --modelBatchMode=true goes through the Gemini Batch API.",
        "Takes Beam-style options; --help lists them all."})
public final class BackfillCommand implements Callable<Integer> {
  @Unmatched List<String> args = new ArrayList<>();

  @Override
  public Integer call() throws Exception {
    BackfillPipeline.main(args.toArray(String[]::new));
    return 0;
  }
}
