package dev.parley.pipeline;

import dev.parley.tenant.TenantConfigException;
import java.util.Arrays;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/**
 * The command-line start every Parley job shares: {@code --help} prints the options' help text, the options are
 * parsed with validation, and a tenant config that does not load ends the launch with its message and exit code
 * 2, before anything is submitted.
 */
final class JobLauncher {
  private JobLauncher() {}

  /** Builds a job's graph from its options. */
  interface Graph<O extends PipelineOptions> {
    Pipeline create(O options) throws TenantConfigException;
  }

  /** Runs a built job: submits it, and on the DirectRunner waits for it. */
  interface Run<O extends PipelineOptions> {
    void run(O options, Pipeline pipeline) throws Exception;
  }

  static <O extends PipelineOptions> void launch(String[] args, Class<O> type, Graph<O> graph, Run<O> run)
      throws Exception {
    if (Arrays.asList(args).contains("--help")) {
      PipelineOptionsFactory.printHelp(System.out, type);
      return;
    }
    PipelineOptionsFactory.register(type);
    O options = PipelineOptionsFactory.fromArgs(args).withValidation().as(type);
    Pipeline pipeline;
    try {
      pipeline = graph.create(options);
    } catch (TenantConfigException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    run.run(options, pipeline);
  }
}
