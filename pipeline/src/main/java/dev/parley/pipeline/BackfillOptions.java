package dev.parley.pipeline;

import dev.parley.transforms.backfill.TimeRange;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;

/** Options of {@link BackfillPipeline}. */
public interface BackfillOptions extends ParleyOptions, SinkOptions {
  @Description("What to scan: a gs:// or local prefix. Defaults to --dropFolder. Recordings are owned by the "
      + "{tenantId}/ folder under --dropFolder when given, else by the tenants' configured sources. "
      + "Example: gs://parley-drop/acme-sales/2026/")
  String getSource();

  void setSource(String value);

  @Description("The drop folder whose {tenantId}/ subfolders say whose recordings are whose (see --source).")
  String getDropFolder();

  void setDropFolder(String value);

  @Description("A text file of recording URIs, one per line, to backfill instead of scanning --source.")
  String getManifest();

  void setManifest(String value);

  @Description("Only recordings at or after this time: an ISO-8601 instant or date (2026-11-01), or today or "
      + "yesterday (00:00 UTC of that day when the job is launched, for scheduled backfills).")
  String getFrom();

  void setFrom(String value);

  @Description("Only recordings before this time: an ISO-8601 instant or date (2026-12-01), or today or yesterday.")
  String getTo();

  void setTo(String value);

  @Description("What --from and --to compare with: OBJECT_TIME (the recording's upload time) or PATH_DATE (the "
      + "date in its folder names, .../2026/11/25/... or .../2026-11-25/...).")
  @Default.Enum("OBJECT_TIME")
  TimeRange.Basis getTimeBasis();

  void setTimeBasis(TimeRange.Basis value);

  @Description("Only this tenant's recordings.")
  String getTenant();

  void setTenant(String value);

  @Description("Transcribe again recordings whose call is already stored (otherwise they are skipped).")
  @Default.Boolean(false)
  boolean getReprocess();

  void setReprocess(boolean value);

  @Description("Seconds between progress lines (matched, skipped, done, percentage) while the backfill runs.")
  @Default.Integer(30)
  int getProgressSeconds();

  void setProgressSeconds(int value);

  @Description("Transcribe Gemini API tenants' calls through the Gemini Batch API: half the online price, answers "
      + "within 24 hours, one batch job per tenant and model. Vertex AI and Speech-to-Text tenants stay online.")
  @Default.Boolean(false)
  boolean getModelBatchMode();

  void setModelBatchMode(boolean value);

  @Description("With --modelBatchMode: the longest wait, in seconds, between two polls of a batch job's state.")
  @Default.Integer(60)
  int getModelBatchPollSeconds();

  void setModelBatchPollSeconds(int value);

  @Description("With --modelBatchMode: minutes after its creation that a batch job still unfinished is cancelled "
      + "and its calls dead-lettered as MODEL_BATCH_TIMEOUT.")
  @Default.Integer(2880)
  int getModelBatchDeadlineMinutes();

  void setModelBatchDeadlineMinutes(int value);
}
