package dev.parley.pipeline;

import static org.junit.Assert.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.runners.TransformHierarchy;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The names of the transforms Parley names, in the production shape of each job (every door and sink on), against
 * the lists checked in under {@code templates/}: Dataflow matches a running streaming job's state to the new job's
 * steps by name when it is updated, so a rename must be deliberate (and come with {@code --transformNameMapping}).
 * After a deliberate change, rewrite the lists with {@code -Dparley.writeTransformNames=true} and review the diff.
 * Beam's own transforms inside Parley's are left out: their names follow the Beam version.
 */
public class TransformNamesTest {
  private static final Path EXAMPLES = Path.of("..", "tenant-config", "examples").toAbsolutePath().normalize();

  @Rule public TemporaryFolder tmp = new TemporaryFolder();

  /** Every node whose name Parley chose: the top level, and what Parley's composites apply. */
  static List<String> parleyNamedTransforms(Pipeline pipeline) {
    List<String> names = new ArrayList<>();
    pipeline.traverseTopologically(new Pipeline.PipelineVisitor.Defaults() {
      @Override
      public CompositeBehavior enterCompositeTransform(TransformHierarchy.Node node) {
        visit(node);
        return CompositeBehavior.ENTER_TRANSFORM;
      }

      @Override
      public void visitPrimitiveTransform(TransformHierarchy.Node node) {
        visit(node);
      }

      private void visit(TransformHierarchy.Node node) {
        TransformHierarchy.Node parent = node.getEnclosingNode();
        if (node.isRootNode() || parent == null) {
          return;
        }
        if (parent.isRootNode() || parent.getTransform().getClass().getName().startsWith("dev.parley.")) {
          names.add(node.getFullName());
        }
      }
    });
    return names;
  }

  private String[] shared() throws IOException {
    return new String[] {"--tenantConfig=" + EXAMPLES, "--outputDir=" + tmp.newFolder("out"),
        "--deadLetterDir=" + tmp.newFolder("dead-letters"), "--deadLetterTopic=projects/parley-prod/topics/dead-letters",
        "--spannerProject=parley-prod", "--spannerInstance=parley", "--spannerDatabase=calls", "--pushToCrm=true",
        "--runId=names"};
  }

  private static void assertSameAs(String file, List<String> names) throws IOException {
    Path list = TemplateMetadataTest.TEMPLATES.resolve(file);
    String actual = String.join("\n", names) + "\n";
    if (Boolean.getBoolean("parley.writeTransformNames")) {
      Files.writeString(list, actual, StandardCharsets.UTF_8);
    }
    assertEquals(file + " differs: a renamed transform breaks `--update` of a running job. If the rename is "
        + "deliberate, run this test with -Dparley.writeTransformNames=true and update with --transformNameMapping "
        + "(docs/runbook.md)", Files.readString(list, StandardCharsets.UTF_8), actual);
  }

  @Test
  public void theStreamingIngestKeepsItsTransformNames() throws Exception {
    List<String> args = new ArrayList<>(List.of(shared()));
    args.addAll(List.of("--subscription=projects/parley-prod/subscriptions/arrivals",
        "--dropFolder=" + tmp.newFolder("drop"), "--watch=true"));
    IngestOptions options = PipelineOptionsFactory.fromArgs(args.toArray(String[]::new)).as(IngestOptions.class);

    assertSameAs("transform-names-ingest.txt", parleyNamedTransforms(IngestPipeline.create(options)));
  }

  @Test
  public void theBackfillKeepsItsTransformNames() throws Exception {
    List<String> args = new ArrayList<>(List.of(shared()));
    args.addAll(List.of("--dropFolder=" + tmp.newFolder("drop"), "--from=yesterday", "--to=today",
        "--tenant=acme-sales"));
    BackfillOptions options = PipelineOptionsFactory.fromArgs(args.toArray(String[]::new)).as(BackfillOptions.class);

    assertSameAs("transform-names-backfill.txt", parleyNamedTransforms(BackfillPipeline.create(options)));
  }
}
