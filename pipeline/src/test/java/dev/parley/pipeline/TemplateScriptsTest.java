package dev.parley.pipeline;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.Test;

/**
 * The template scripts' dry runs: the exact gcloud and Maven commands they would run, and a clear failure when a
 * required argument is missing. No gcloud is needed (nor called).
 */
public class TemplateScriptsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private record Run(int exit, String out, String err) {}

  private static Run script(String name, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("bash", TemplateMetadataTest.TEMPLATES.resolve(name).toString()));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).start();
    process.getOutputStream().close();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    return new Run(process.waitFor(), out, err);
  }

  @Test
  public void buildTemplatePrintsTheImageAndSpecBuildsOfBothJobs() throws Exception {
    Run run = script("build-template.sh", "--project=parley-prod", "--repository=us-docker.pkg.dev/parley-prod/parley",
        "--bucket=gs://parley-ops", "--tag=abc123", "--dry-run");

    assertEquals(run.err(), 0, run.exit());
    assertEquals(String.join("\n",
        "mvn -B -pl pipeline -am package -DskipTests jib:build -Dimage=us-docker.pkg.dev/parley-prod/parley/parley-ingest:abc123"
            + " -Dparley.template.mainClass=dev.parley.pipeline.IngestPipeline",
        "gcloud dataflow flex-template build gs://parley-ops/templates/parley-ingest.json"
            + " --image=us-docker.pkg.dev/parley-prod/parley/parley-ingest:abc123 --sdk-language=JAVA"
            + " --metadata-file=templates/ingest-metadata.json --project=parley-prod",
        "mvn -B -pl pipeline -am package -DskipTests jib:build -Dimage=us-docker.pkg.dev/parley-prod/parley/parley-backfill:abc123"
            + " -Dparley.template.mainClass=dev.parley.pipeline.BackfillPipeline",
        "gcloud dataflow flex-template build gs://parley-ops/templates/parley-backfill.json"
            + " --image=us-docker.pkg.dev/parley-prod/parley/parley-backfill:abc123 --sdk-language=JAVA"
            + " --metadata-file=templates/backfill-metadata.json --project=parley-prod",
        ""), run.out());
  }

  @Test
  public void launchPrintsAnUpdateOfTheStreamingJobWithCommasKeptInValues() throws Exception {
    Run run = script("launch.sh", "--template=ingest", "--project=parley-prod", "--region=us-central1",
        "--bucket=gs://parley-ops", "--job-name=parley-ingest",
        "--param=tenantConfig=gs://parley-config/tenants,gs://parley-config/prod.yaml", "--param=outputDir=gs://parley-out",
        "--param=subscription=projects/parley-prod/subscriptions/arrivals", "--update",
        "--transform-name-mapping=ProcessCalls/Transcribe=ProcessCalls/TranscribeCalls", "--dry-run");

    assertEquals(run.err(), 0, run.exit());
    assertEquals("gcloud dataflow flex-template run parley-ingest"
        + " --template-file-gcs-location=gs://parley-ops/templates/parley-ingest.json --project=parley-prod"
        + " --region=us-central1 --temp-location=gs://parley-ops/temp --staging-location=gs://parley-ops/staging"
        + " '--parameters=^~^tenantConfig=gs://parley-config/tenants,gs://parley-config/prod.yaml~outputDir=gs://parley-out"
        + "~subscription=projects/parley-prod/subscriptions/arrivals' --enable-streaming-engine --update"
        + " '--transform-name-mappings=^~^ProcessCalls/Transcribe=ProcessCalls/TranscribeCalls'\n", run.out());
  }

  @Test
  public void launchFailsClearlyWithoutARequiredArgument() throws Exception {
    Run run = script("launch.sh", "--template=backfill", "--project=parley-prod", "--region=us-central1",
        "--bucket=gs://parley-ops", "--param=outputDir=gs://parley-out", "--dry-run");

    assertEquals(2, run.exit());
    assertEquals("", run.out());
    assertThat(run.err(), containsString("missing required argument --job-name"));
  }

  @Test
  public void aMappingWithoutUpdateIsRefused() throws Exception {
    Run run = script("launch.sh", "--template=ingest", "--project=parley-prod", "--region=us-central1",
        "--bucket=gs://parley-ops", "--job-name=parley-ingest", "--param=outputDir=gs://parley-out",
        "--transform-name-mapping=A=B", "--dry-run");

    assertEquals(2, run.exit());
    assertThat(run.err(), containsString("--transform-name-mapping only goes with --update"));
  }

  @Test
  public void scheduleBackfillPrintsTheSchedulerJobWithTheFilledLaunchBody() throws Exception {
    Run run = script("schedule-backfill.sh", "--project=parley-prod", "--region=us-central1", "--bucket=gs://parley-ops",
        "--tenant-config=gs://parley-config/tenants,gs://parley-config/prod.yaml", "--drop-folder=gs://parley-drop/",
        "--output-dir=gs://parley-out", "--spanner=parley-prod/parley/calls",
        "--scheduler-service-account=scheduler@parley-prod.iam.gserviceaccount.com",
        "--worker-service-account=workers@parley-prod.iam.gserviceaccount.com", "--dry-run");

    assertEquals(run.err(), 0, run.exit());
    String prefix = "gcloud scheduler jobs create http parley-nightly-backfill --project=parley-prod"
        + " --location=us-central1 '--schedule=0 3 * * *' --time-zone=UTC"
        + " --uri=https://dataflow.googleapis.com/v1b3/projects/parley-prod/locations/us-central1/flexTemplates:launch"
        + " --http-method=POST --headers=Content-Type=application/json"
        + " --oauth-service-account-email=scheduler@parley-prod.iam.gserviceaccount.com"
        + " --oauth-token-scope=https://www.googleapis.com/auth/cloud-platform '--message-body=";
    assertTrue(run.out(), run.out().startsWith(prefix) && run.out().endsWith("'\n"));
    JsonNode launch = JSON.readTree(run.out().substring(prefix.length(), run.out().length() - 2)).get("launchParameter");
    assertEquals("parley-nightly-backfill", launch.get("jobName").asText());
    assertEquals("gs://parley-ops/templates/parley-backfill.json", launch.get("containerSpecGcsPath").asText());
    JsonNode parameters = launch.get("parameters");
    assertEquals("yesterday", parameters.get("from").asText());
    assertEquals("today", parameters.get("to").asText());
    assertEquals("gs://parley-config/tenants,gs://parley-config/prod.yaml", parameters.get("tenantConfig").asText());
    assertEquals("calls", parameters.get("spannerDatabase").asText());
    assertTrue("an optional value left empty is left out", parameters.path("deadLetterDir").isMissingNode());
    assertEquals("workers@parley-prod.iam.gserviceaccount.com", launch.at("/environment/serviceAccountEmail").asText());
  }

  @Test
  public void theLaunchBodyOnlyNamesParametersOfTheBackfillTemplate() throws Exception {
    JsonNode body = JSON.readTree(TemplateMetadataTest.TEMPLATES.resolve("backfill-launch-body.json").toFile());
    Set<String> parameters = new HashSet<>();
    TemplateMetadataTest.metadata("backfill-metadata.json").get("parameters")
        .forEach(p -> parameters.add(p.get("name").asText()));
    body.at("/launchParameter/parameters").fieldNames().forEachRemaining(name ->
        assertTrue(name + " is a parameter of the backfill template", parameters.contains(name)));
  }

  @Test
  public void scheduleBackfillFailsClearlyWithoutTheWorkerServiceAccount() throws Exception {
    Run run = script("schedule-backfill.sh", "--project=parley-prod", "--region=us-central1", "--bucket=gs://parley-ops",
        "--tenant-config=gs://c/t", "--drop-folder=gs://d/", "--output-dir=gs://o",
        "--scheduler-service-account=s@parley-prod.iam.gserviceaccount.com", "--dry-run");

    assertEquals(2, run.exit());
    assertThat(run.err(), containsString("missing required argument --worker-service-account"));
  }
}
